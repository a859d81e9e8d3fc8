//! How far a running batch has got, shared between the batch and whoever watches it (the
//! upload page polls it). Plain atomics: the batch never waits for a watcher.

use serde::Serialize;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct Progress {
    stage: AtomicU8,
    bytes_total: AtomicU64,
    bytes_read: AtomicU64,
    rows_read: AtomicU64,
    rows_written: AtomicU64,
}

/// The steps of a batch, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 接收文件
    Receiving,
    /// 计算文件摘要
    Hashing,
    /// 校验并写入
    Applying,
    /// 提交
    Committing,
    /// 完成
    Done,
}

impl Stage {
    pub fn label_zh(self) -> &'static str {
        match self {
            Stage::Receiving => "接收文件",
            Stage::Hashing => "计算文件摘要",
            Stage::Applying => "校验并写入",
            Stage::Committing => "提交",
            Stage::Done => "完成",
        }
    }

    fn from_u8(value: u8) -> Stage {
        match value {
            0 => Stage::Receiving,
            1 => Stage::Hashing,
            2 => Stage::Applying,
            3 => Stage::Committing,
            _ => Stage::Done,
        }
    }
}

/// A copy of the counters at one moment.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ProgressSnapshot {
    pub stage: Stage,
    pub bytes_total: u64,
    pub bytes_read: u64,
    pub rows_read: u64,
    pub rows_written: u64,
    /// Whole percent of the file read in the current stage.
    pub percent: u8,
}

impl Progress {
    pub fn set_stage(&self, stage: Stage) {
        self.stage.store(stage as u8, Ordering::Relaxed);
        self.bytes_read.store(0, Ordering::Relaxed);
    }

    pub fn set_total(&self, bytes: u64) {
        self.bytes_total.store(bytes, Ordering::Relaxed);
    }

    pub fn add_bytes(&self, bytes: u64) {
        self.bytes_read.fetch_add(bytes, Ordering::Relaxed);
    }

    pub fn add_rows_read(&self, rows: u64) {
        self.rows_read.fetch_add(rows, Ordering::Relaxed);
    }

    pub fn add_rows_written(&self, rows: u64) {
        self.rows_written.fetch_add(rows, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> ProgressSnapshot {
        let stage = Stage::from_u8(self.stage.load(Ordering::Relaxed));
        let bytes_total = self.bytes_total.load(Ordering::Relaxed);
        let bytes_read = self.bytes_read.load(Ordering::Relaxed).min(bytes_total);
        let percent = match stage {
            Stage::Done | Stage::Committing => 100,
            _ if bytes_total == 0 => 0,
            _ => (bytes_read.saturating_mul(100) / bytes_total) as u8,
        };
        ProgressSnapshot {
            stage,
            bytes_total,
            bytes_read,
            rows_read: self.rows_read.load(Ordering::Relaxed),
            rows_written: self.rows_written.load(Ordering::Relaxed),
            percent,
        }
    }
}

/// A reader that reports the bytes it passes on.
pub(super) struct Counting<R> {
    pub inner: R,
    pub progress: std::sync::Arc<Progress>,
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.add_bytes(n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn counts_bytes_and_reports_percent() {
        let progress = std::sync::Arc::new(Progress::default());
        progress.set_total(10);
        progress.set_stage(Stage::Applying);
        let mut reader = Counting {
            inner: &b"0123456789"[..],
            progress: progress.clone(),
        };
        let mut buf = [0u8; 4];
        reader.read_exact(&mut buf).unwrap();
        let snap = progress.snapshot();
        assert_eq!((snap.bytes_read, snap.percent), (4, 40));
        progress.set_stage(Stage::Done);
        assert_eq!(progress.snapshot().percent, 100);
    }
}
