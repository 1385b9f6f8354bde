//! The duplicate-member rule: two members of one object never share a name.

use std::borrow::Cow;

use serde::de;

/// Member names gathered for the duplicate check; above this many they are sorted instead of
/// compared pairwise.
pub(super) const PAIRWISE_MEMBERS: usize = 16;

/// The name of the first member that appears twice, if any.
fn duplicate<'a>(names: &'a mut [Cow<'_, str>]) -> Option<&'a str> {
    if names.len() <= PAIRWISE_MEMBERS {
        for (index, name) in names.iter().enumerate() {
            if names[..index].contains(name) {
                return Some(name);
            }
        }
        return None;
    }
    names.sort_unstable();
    names
        .windows(2)
        .find(|pair| pair[0] == pair[1])
        .map(|pair| &*pair[0])
}

/// Refuses `names` (one object's member names) when one appears twice.
pub(super) fn refuse_duplicates<E: de::Error>(names: &mut [Cow<'_, str>]) -> Result<(), E> {
    match duplicate(names) {
        Some(name) => Err(E::custom(format_args!("duplicate member `{name}`"))),
        None => Ok(()),
    }
}
