//! A sequential read of the `records` table of a SQLite database straight through the SQLite C
//! library, for the full evaluation run (公共信用综合评价全量评价): a city's millions of records are
//! read once in storage order. Going through sqlx would copy every value into an owned row and
//! hand each row to another thread — several times the cost of SQLite's own work — so this
//! reader opens its own read-only connection (WAL: it sees the last committed state and blocks
//! no writer) and lends each row's text to the caller without copying.

use libsqlite3_sys as ffi;
use std::ffi::{CStr, CString, c_int};

/// One row, borrowed for the duration of the callback.
#[derive(Debug, Clone, Copy)]
pub struct ScanRow<'a> {
    pub subject: &'a str,
    pub item_key: &'a str,
    pub natural_key_hash: &'a str,
    pub version: i32,
    pub payload: &'a str,
    /// `YYYY-MM-DD HH:MM:SS[.f]`, UTC, as stored.
    pub created_at: &'a str,
    pub batch_id: &'a str,
}

struct Conn(*mut ffi::sqlite3);

impl Drop for Conn {
    fn drop(&mut self) {
        // SAFETY: the handle came from sqlite3_open_v2 and every statement was finalised.
        unsafe {
            ffi::sqlite3_close(self.0);
        }
    }
}

struct Stmt(*mut ffi::sqlite3_stmt);

impl Drop for Stmt {
    fn drop(&mut self) {
        // SAFETY: the statement came from sqlite3_prepare_v2 on a live connection.
        unsafe {
            ffi::sqlite3_finalize(self.0);
        }
    }
}

fn error(db: *mut ffi::sqlite3, what: &str) -> String {
    // SAFETY: sqlite3_errmsg returns a NUL-terminated string owned by the connection.
    let msg = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) };
    format!("{what}: {}", msg.to_string_lossy())
}

/// Column `i` of the current row as text (empty for NULL or invalid UTF-8).
///
/// # Safety
/// `stmt` must be positioned on a row (the last step returned `SQLITE_ROW`); the text is valid
/// until the next step.
unsafe fn text<'a>(stmt: *mut ffi::sqlite3_stmt, i: c_int) -> &'a str {
    // SAFETY: per the contract above.
    unsafe {
        let p = ffi::sqlite3_column_text(stmt, i);
        if p.is_null() {
            return "";
        }
        let n = ffi::sqlite3_column_bytes(stmt, i) as usize;
        std::str::from_utf8(std::slice::from_raw_parts(p, n)).unwrap_or("")
    }
}

/// Calls `f` for every record with `from < rowid <= to` whose item is one of `items`, in
/// storage order. Blocking: run it on a blocking thread. `path` is the database file.
pub fn scan_records(
    path: &str,
    from: i64,
    to: i64,
    items: &[&str],
    mut f: impl FnMut(ScanRow<'_>),
) -> Result<(), String> {
    let c_path = CString::new(path).map_err(|e| e.to_string())?;
    let mut db: *mut ffi::sqlite3 = std::ptr::null_mut();
    // SAFETY: valid C string and out-pointer; the handle is closed by `Conn` even on failure.
    let rc = unsafe {
        ffi::sqlite3_open_v2(
            c_path.as_ptr(),
            &mut db,
            ffi::SQLITE_OPEN_READONLY | ffi::SQLITE_OPEN_NOMUTEX,
            std::ptr::null(),
        )
    };
    let conn = Conn(db);
    if rc != ffi::SQLITE_OK {
        return Err(error(conn.0, "无法打开数据库"));
    }
    // Measured on a 100,000-enterprise city: filtering items in SQL beats filtering here, and
    // a memory map (PRAGMA mmap_size) is slower than SQLite's reads from the OS cache.
    let marks = vec!["?"; items.len()].join(",");
    let sql = CString::new(format!(
        "SELECT subject, item_key, natural_key_hash, version, payload, created_at, batch_id \
         FROM records WHERE rowid > ?1 AND rowid <= ?2 AND item_key IN ({marks})"
    ))
    .map_err(|e| e.to_string())?;
    let mut raw: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
    // SAFETY: live connection, valid SQL string, out-pointer.
    let rc = unsafe {
        ffi::sqlite3_prepare_v2(conn.0, sql.as_ptr(), -1, &mut raw, std::ptr::null_mut())
    };
    let stmt = Stmt(raw);
    if rc != ffi::SQLITE_OK {
        return Err(error(conn.0, "查询准备失败"));
    }
    let keys: Vec<CString> = items
        .iter()
        .map(|k| CString::new(*k).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    // SAFETY: parameters in range; SQLITE_TRANSIENT makes SQLite copy the key text.
    unsafe {
        ffi::sqlite3_bind_int64(stmt.0, 1, from);
        ffi::sqlite3_bind_int64(stmt.0, 2, to);
        for (i, k) in keys.iter().enumerate() {
            ffi::sqlite3_bind_text(
                stmt.0,
                i as c_int + 3,
                k.as_ptr(),
                -1,
                ffi::SQLITE_TRANSIENT(),
            );
        }
    }
    loop {
        // SAFETY: a prepared statement of a live connection.
        let rc = unsafe { ffi::sqlite3_step(stmt.0) };
        match rc {
            ffi::SQLITE_ROW => {
                // SAFETY: positioned on a row; the borrowed text lives until the next step,
                // which happens after `f` returns.
                let row = unsafe {
                    ScanRow {
                        subject: text(stmt.0, 0),
                        item_key: text(stmt.0, 1),
                        natural_key_hash: text(stmt.0, 2),
                        version: ffi::sqlite3_column_int(stmt.0, 3),
                        payload: text(stmt.0, 4),
                        created_at: text(stmt.0, 5),
                        batch_id: text(stmt.0, 6),
                    }
                };
                f(row);
            }
            ffi::SQLITE_DONE => return Ok(()),
            _ => return Err(error(conn.0, "读取记录失败")),
        }
    }
}
