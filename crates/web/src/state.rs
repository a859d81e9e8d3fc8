//! What every handler can reach.

use xinrong_services::Platform;

#[derive(Clone, Debug)]
pub struct AppState {
    pub platform: Platform,
    /// Mark cookies `Secure`: on when the platform is served behind TLS.
    pub secure_cookies: bool,
}
