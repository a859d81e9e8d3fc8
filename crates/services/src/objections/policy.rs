//! The configurable numbers of objections and repair (异议处理时限, 防刷限制, 最短公示期), one
//! struct on [`crate::Platform`] with the defaults below, overridden from the `[rights]` section
//! of the configuration file.

use serde::{Deserialize, Serialize};
use xinrong_core::repair::RepairPeriods;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RightsPolicy {
    /// Working days the source unit has to answer an objection (and to carry out a correction
    /// the operator ordered). Default 5.
    pub objection_deadline_workdays: u32,
    /// New objections one subject may file per calendar day (Asia/Shanghai). Default 5.
    pub objections_per_day: u32,
    /// Objections one subject may have in process at once. Default 20.
    pub objections_open: u32,
    /// Minimum and maximum publicity per severity (2026 信用修复管理办法).
    pub repair: RepairPeriods,
}

impl Default for RightsPolicy {
    fn default() -> Self {
        RightsPolicy {
            objection_deadline_workdays: 5,
            objections_per_day: 5,
            objections_open: 20,
            repair: RepairPeriods::default(),
        }
    }
}

impl RightsPolicy {
    /// Refuses numbers that cannot work (a zero deadline or limit, a minimum above a maximum).
    pub fn check(&self) -> Result<(), String> {
        if self.objection_deadline_workdays == 0 || self.objection_deadline_workdays > 60 {
            return Err("异议处理时限须为 1 至 60 个工作日".into());
        }
        if self.objections_per_day == 0 || self.objections_open == 0 {
            return Err("异议数量限制须大于 0".into());
        }
        self.repair.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_sound_and_nonsense_is_refused() {
        let p = RightsPolicy::default();
        assert_eq!(
            (
                p.objection_deadline_workdays,
                p.objections_per_day,
                p.objections_open
            ),
            (5, 5, 20)
        );
        p.check().unwrap();
        for bad in [
            RightsPolicy {
                objection_deadline_workdays: 0,
                ..p
            },
            RightsPolicy {
                objections_per_day: 0,
                ..p
            },
            RightsPolicy {
                objections_open: 0,
                ..p
            },
        ] {
            assert!(bad.check().is_err(), "{bad:?}");
        }
    }
}
