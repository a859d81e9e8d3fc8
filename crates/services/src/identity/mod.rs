//! Identity (身份): organisations, users, passwords, login with lockout, browser sessions and API
//! tokens. A request is made on behalf of a [`Principal`], whichever credential carried it.

mod organizations;
mod passwords;
mod principal;
mod secrets;
mod sessions;
mod tokens;
mod users;

pub use organizations::{
    NewOrganization, add_organization, create_organization, get_organization, list_organizations,
};
pub use passwords::{hash_password, validate_new_password, verify_password};
pub use principal::Principal;
pub use sessions::{
    LoginOutcome, SESSION_TTL, login, logout, principal_for_session, purge_expired_sessions,
};
pub use tokens::{
    ApiTokenInfo, NewApiToken, create_token, list_tokens, principal_for_token, revoke_token,
};
pub use users::{
    NewUser, UserInfo, add_user, create_first_operator, create_user, list_users, reset_password,
};

/// Row builders shared with the demo loader, which writes many rows in one transaction.
pub(crate) use organizations::organization_row as organization_row_for_demo;
pub(crate) use users::user_row as user_row_for_demo;

/// An organisation as stored; its fields are all public to the operator who manages it.
pub use xinrong_store::repo::organizations::OrganizationRow as Organization;
