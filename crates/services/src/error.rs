//! The service layer's one error type. Each variant has a stable machine code for the API and
//! CLI and a Chinese message for people; messages never carry data the caller may not see.

use xinrong_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Input that breaks a rule; `code` names the rule (e.g. `uscc.check`).
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    /// Wrong username or password — deliberately not saying which.
    #[error("用户名或密码错误")]
    BadCredentials,
    /// Too many failed logins; try again later.
    #[error("登录失败次数过多，账户已临时锁定，请于 {retry_after_secs} 秒后重试")]
    Locked { retry_after_secs: i64 },
    /// No valid session or token.
    #[error("请先登录")]
    Unauthenticated,
    /// Logged in, but this role or organisation may not do this.
    #[error("无权执行此操作")]
    Forbidden,
    #[error("{0}不存在")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    /// The access decision (访问控制, `crate::access`) refused to show this data.
    #[error("{message}")]
    Denied { code: &'static str, message: String },
    /// A quota of calls to a data source (接口调用容量) is used up; try again later.
    #[error("{message}")]
    Throttled {
        code: &'static str,
        message: String,
        retry_after_secs: i64,
    },
    /// A data source did not answer: down, too slow, or its circuit breaker is open.
    #[error("{message}")]
    Unavailable {
        code: &'static str,
        message: String,
        retry_after_secs: Option<i64>,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ServiceError {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Invalid {
            code,
            message: message.into(),
        }
    }

    /// The stable machine code clients branch on.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::Invalid { code, .. } => code,
            ServiceError::BadCredentials => "auth.bad_credentials",
            ServiceError::Locked { .. } => "auth.locked",
            ServiceError::Unauthenticated => "auth.required",
            ServiceError::Forbidden => "auth.forbidden",
            ServiceError::NotFound(_) => "not_found",
            ServiceError::Conflict(_) => "conflict",
            ServiceError::Denied { code, .. }
            | ServiceError::Throttled { code, .. }
            | ServiceError::Unavailable { code, .. } => code,
            ServiceError::Store(StoreError::Conflict(_)) => "conflict",
            ServiceError::Store(_) => "internal",
        }
    }

    /// The message safe to show the caller: storage details stay in the log.
    pub fn public_message(&self) -> String {
        match self {
            ServiceError::Store(StoreError::Conflict(_)) => "记录已存在".to_owned(),
            ServiceError::Store(_) => "服务器内部错误，请稍后重试".to_owned(),
            other => other.to_string(),
        }
    }
}

impl From<xinrong_core::codes::CodeError> for ServiceError {
    fn from(err: xinrong_core::codes::CodeError) -> Self {
        ServiceError::Invalid {
            code: err.code(),
            message: err.to_string(),
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
