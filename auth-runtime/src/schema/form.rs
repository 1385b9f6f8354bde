//! [`FormFields`]: a submitted sign-in form, as the credentials provider's `authorize` reads
//! it.

use std::fmt;

/// The fields of a submitted form (or JSON object of strings), as sent.
#[derive(Default, Clone)]
pub struct FormFields(Vec<(String, String)>);

impl FormFields {
    /// Fields from name/value pairs. A name given twice keeps only its first value.
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut fields: Vec<(String, String)> = Vec::new();
        for (name, value) in pairs {
            if !fields.iter().any(|(existing, _)| *existing == name) {
                fields.push((name, value));
            }
        }
        Self(fields)
    }

    /// The value of field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Values are never printed: a form carries passwords.
impl fmt::Debug for FormFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, _)| name))
            .finish()
    }
}
