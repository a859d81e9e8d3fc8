//! 白名单 (white list): statuses and transitions.
