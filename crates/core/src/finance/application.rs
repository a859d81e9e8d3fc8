//! 融资申请 (financing applications): the status machine and its service deadlines.
