//! [`FormFields`]: a submitted sign-in form, as the credentials provider's `authorize` reads
//! it.

use std::collections::HashMap;
use std::fmt;

/// The fields of a submitted form (or JSON object of strings), as sent.
///
/// Held in a `HashMap` with the standard library's randomly keyed hasher: the form arrives
/// before the CSRF check, from anyone, so reading it costs time linear in its size and no
/// crafted set of names can make the lookups collide.
#[derive(Default, Clone)]
pub struct FormFields(HashMap<String, String>);

impl FormFields {
    /// Fields from name/value pairs. A name given twice keeps only its first value.
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut fields = HashMap::new();
        for (name, value) in pairs {
            fields.entry(name).or_insert(value);
        }
        Self(fields)
    }

    /// Fields from name/value pairs in which no name repeats; `None` when one does.
    pub fn distinct(pairs: impl IntoIterator<Item = (String, String)>) -> Option<Self> {
        let mut fields = HashMap::new();
        for (name, value) in pairs {
            if fields.insert(name, value).is_some() {
                return None;
            }
        }
        Some(Self(fields))
    }

    /// The value of field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// Values are never printed: a form carries passwords. Names are listed in order.
impl fmt::Debug for FormFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&String> = self.0.keys().collect();
        names.sort_unstable();
        f.debug_list().entries(names).finish()
    }
}
