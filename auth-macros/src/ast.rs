//! The syntax of the input: the attribute's arguments and the annotated struct, spans kept.

use proc_macro2::{Ident, TokenStream};
use syn::spanned::Spanned as _;
use syn::{Attribute, Field, Fields, Item, Meta, Visibility};

use crate::attr;
use crate::diag::Errors;

/// The parsed input of `#[auth_config(args)] struct …`.
pub(crate) struct Input {
    pub(crate) args: Vec<Meta>,
    pub(crate) name: Ident,
    pub(crate) vis: Visibility,
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) fields: Vec<Field>,
}

/// What can still be said about an input that is not a struct with named fields: its name,
/// so that fallback items can be emitted under it.
pub(crate) struct Unusable {
    pub(crate) name: Option<(Ident, Visibility)>,
}

impl Input {
    /// Parses the arguments and the item. Errors go to `errors`; an item that is not a struct
    /// with named fields gives `Err`, with its name if it has one.
    pub(crate) fn parse(
        args: TokenStream,
        item: TokenStream,
        errors: &mut Errors,
    ) -> Result<Self, Unusable> {
        let args = errors.take(attr::parse_list(args)).unwrap_or_default();
        let item = match syn::parse2::<Item>(item) {
            Ok(item) => item,
            Err(error) => {
                errors.push_error(error);
                return Err(Unusable { name: None });
            }
        };
        let named = |ident: &Ident, vis: &Visibility| Some((ident.clone(), vis.clone()));
        match item {
            Item::Struct(item) => match item.fields {
                Fields::Named(fields) => Ok(Self {
                    args,
                    name: item.ident,
                    vis: item.vis,
                    attrs: item.attrs,
                    fields: fields.named.into_iter().collect(),
                }),
                Fields::Unnamed(fields) => {
                    errors.push(
                        fields.span(),
                        "`#[auth_config]` needs a struct with named fields, one per provider \
                         and claim; this is a tuple struct",
                    );
                    Err(Unusable {
                        name: named(&item.ident, &item.vis),
                    })
                }
                Fields::Unit => Ok(Self {
                    args,
                    name: item.ident,
                    vis: item.vis,
                    attrs: item.attrs,
                    fields: Vec::new(),
                }),
            },
            Item::Enum(item) => {
                errors.push(
                    item.enum_token.span,
                    "`#[auth_config]` goes on a struct with named fields, not on an enum",
                );
                Err(Unusable {
                    name: named(&item.ident, &item.vis),
                })
            }
            other => {
                errors.push(
                    other.span(),
                    "`#[auth_config]` goes on a struct with named fields",
                );
                Err(Unusable { name: None })
            }
        }
    }
}
