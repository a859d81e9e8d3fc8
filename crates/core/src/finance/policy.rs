//! 政策找人 (policy matching): policy kinds and what a policy offers.
