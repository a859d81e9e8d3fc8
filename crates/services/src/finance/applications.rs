//! 一键式融资 (one-click financing applications): submission to many products with the authorizations they need, the status machine, deadlines and the timeline.
