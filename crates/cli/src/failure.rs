//! How a command fails: one line on stderr, `error[code]: message`, and exit status 1.

use xinrong_services::ServiceError;
use xinrong_store::StoreError;

#[derive(Debug)]
pub struct Failure {
    pub code: &'static str,
    pub message: String,
}

impl Failure {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }
}

impl From<ServiceError> for Failure {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Store(store) => store.into(),
            other => Failure::new(other.code(), other.to_string()),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(err: StoreError) -> Self {
        let code = match &err {
            StoreError::InvalidUrl(_) => "database.url",
            StoreError::Unreachable(_) => "database.unreachable",
            StoreError::Conflict(_) => "conflict",
            StoreError::Db(_) => "database.error",
        };
        Failure::new(code, err.to_string())
    }
}

pub type CliResult<T = ()> = Result<T, Failure>;
