//! 政策找人 (policy matching): published policies with structured eligibility find the enterprises they fit.
