//! 企业规模 (enterprise size class) by 《中小企业划型标准规定》(工信部联企业〔2011〕300号).
//!
//! Article 4 sets, per sector, thresholds on employees (从业人员), revenue (营业收入) and/or total
//! assets (资产总额). A class applies when every measure of it is met ("X及以上，且Y及以上");
//! micro is what meets no higher class ("X以下或Y以下"); large is what exceeds the SME ceiling on
//! every measure. Amounts are integer fen: 1 万元 = 1,000,000 fen.

use super::CodeError;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SizeClass {
    /// 大型
    Large,
    /// 中型
    Medium,
    /// 小型
    Small,
    /// 微型
    Micro,
}

impl SizeClass {
    pub const ALL: [SizeClass; 4] = [
        SizeClass::Large,
        SizeClass::Medium,
        SizeClass::Small,
        SizeClass::Micro,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SizeClass::Large => "large",
            SizeClass::Medium => "medium",
            SizeClass::Small => "small",
            SizeClass::Micro => "micro",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            SizeClass::Large => "大型",
            SizeClass::Medium => "中型",
            SizeClass::Small => "小型",
            SizeClass::Micro => "微型",
        }
    }
}

impl FromStr for SizeClass {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SizeClass::ALL
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or_else(|| CodeError::SizeClassUnknown(s.to_owned()))
    }
}

/// The sixteen sector groups of article 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SizeSector {
    /// (一) 农、林、牧、渔业
    Agriculture,
    /// (二) 工业（采矿业，制造业，电力、热力、燃气及水生产和供应业）
    Industry,
    /// (三) 建筑业
    Construction,
    /// (四) 批发业
    Wholesale,
    /// (五) 零售业
    Retail,
    /// (六) 交通运输业（不含铁路运输业）
    Transport,
    /// (七) 仓储业
    Warehousing,
    /// (八) 邮政业
    Postal,
    /// (九) 住宿业
    Accommodation,
    /// (十) 餐饮业
    Catering,
    /// (十一) 信息传输业
    InformationTransmission,
    /// (十二) 软件和信息技术服务业
    Software,
    /// (十三) 房地产开发经营
    RealEstateDevelopment,
    /// (十四) 物业管理
    PropertyManagement,
    /// (十五) 租赁和商务服务业
    LeasingAndBusinessServices,
    /// (十六) 其他未列明行业
    Other,
}

impl SizeSector {
    /// The sector group of a GB/T 4754-2017 division. Division 70 (房地产业) counts as 房地产开发经营:
    /// 物业管理 (class 7020) is told apart only at class level, which the platform does not hold.
    pub fn for_division(division: &str) -> SizeSector {
        let n: u32 = division.parse().unwrap_or(0);
        match n {
            1..=5 => SizeSector::Agriculture,
            6..=46 => SizeSector::Industry,
            47..=50 => SizeSector::Construction,
            51 => SizeSector::Wholesale,
            52 => SizeSector::Retail,
            54..=58 => SizeSector::Transport,
            59 => SizeSector::Warehousing,
            60 => SizeSector::Postal,
            61 => SizeSector::Accommodation,
            62 => SizeSector::Catering,
            63 | 64 => SizeSector::InformationTransmission,
            65 => SizeSector::Software,
            70 => SizeSector::RealEstateDevelopment,
            71 | 72 => SizeSector::LeasingAndBusinessServices,
            // 53 铁路运输业 is excluded from 交通运输业 by the notice and falls to "other".
            _ => SizeSector::Other,
        }
    }
}

#[derive(Clone, Copy)]
enum Measure {
    Employees,
    Revenue,
    Assets,
}

/// Thresholds in persons, or in 万元 for amounts.
struct Rule {
    measures: &'static [Measure],
    large: &'static [i64],
    medium: &'static [i64],
    small: &'static [i64],
}

use Measure::{Assets, Employees, Revenue};

fn rule(sector: SizeSector) -> Rule {
    use SizeSector::*;
    let (measures, large, medium, small): (
        &'static [Measure],
        &'static [i64],
        &'static [i64],
        &'static [i64],
    ) = match sector {
        Agriculture => (&[Revenue], &[20_000], &[500], &[50]),
        Industry => (
            &[Employees, Revenue],
            &[1_000, 40_000],
            &[300, 2_000],
            &[20, 300],
        ),
        Construction => (
            &[Revenue, Assets],
            &[80_000, 80_000],
            &[6_000, 5_000],
            &[300, 300],
        ),
        Wholesale => (
            &[Employees, Revenue],
            &[200, 40_000],
            &[20, 5_000],
            &[5, 1_000],
        ),
        Retail => (
            &[Employees, Revenue],
            &[300, 20_000],
            &[50, 500],
            &[10, 100],
        ),
        Transport => (
            &[Employees, Revenue],
            &[1_000, 30_000],
            &[300, 3_000],
            &[20, 200],
        ),
        Warehousing => (
            &[Employees, Revenue],
            &[200, 30_000],
            &[100, 1_000],
            &[20, 100],
        ),
        Postal => (
            &[Employees, Revenue],
            &[1_000, 30_000],
            &[300, 2_000],
            &[20, 100],
        ),
        Accommodation | Catering => (
            &[Employees, Revenue],
            &[300, 10_000],
            &[100, 2_000],
            &[10, 100],
        ),
        InformationTransmission => (
            &[Employees, Revenue],
            &[2_000, 100_000],
            &[100, 1_000],
            &[10, 100],
        ),
        Software => (
            &[Employees, Revenue],
            &[300, 10_000],
            &[100, 1_000],
            &[10, 50],
        ),
        RealEstateDevelopment => (
            &[Revenue, Assets],
            &[200_000, 10_000],
            &[1_000, 5_000],
            &[100, 2_000],
        ),
        PropertyManagement => (
            &[Employees, Revenue],
            &[1_000, 5_000],
            &[300, 1_000],
            &[100, 500],
        ),
        LeasingAndBusinessServices => (
            &[Employees, Assets],
            &[300, 120_000],
            &[100, 8_000],
            &[10, 100],
        ),
        Other => (&[Employees], &[300], &[100], &[10]),
    };
    Rule {
        measures,
        large,
        medium,
        small,
    }
}

const FEN_PER_WAN: i64 = 1_000_000;

/// The size class of an enterprise with these figures (revenue and assets in fen).
pub fn classify(
    sector: SizeSector,
    employees: u32,
    revenue_fen: i64,
    assets_fen: i64,
) -> SizeClass {
    let rule = rule(sector);
    let meets = |thresholds: &[i64]| {
        rule.measures.iter().zip(thresholds).all(|(m, t)| match m {
            Employees => i64::from(employees) >= *t,
            Revenue => revenue_fen >= t * FEN_PER_WAN,
            Assets => assets_fen >= t * FEN_PER_WAN,
        })
    };
    if meets(rule.large) {
        SizeClass::Large
    } else if meets(rule.medium) {
        SizeClass::Medium
    } else if meets(rule.small) {
        SizeClass::Small
    } else {
        SizeClass::Micro
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAN: i64 = FEN_PER_WAN;

    #[test]
    fn industry_boundaries() {
        let s = SizeSector::Industry;
        assert_eq!(classify(s, 1_000, 40_000 * WAN, 0), SizeClass::Large);
        assert_eq!(classify(s, 999, 40_000 * WAN, 0), SizeClass::Medium);
        assert_eq!(classify(s, 300, 2_000 * WAN, 0), SizeClass::Medium);
        assert_eq!(classify(s, 300, 2_000 * WAN - 1, 0), SizeClass::Small);
        assert_eq!(classify(s, 20, 300 * WAN, 0), SizeClass::Small);
        assert_eq!(classify(s, 19, 300 * WAN, 0), SizeClass::Micro);
        assert_eq!(classify(s, 5_000, 299 * WAN, 0), SizeClass::Micro);
    }

    #[test]
    fn table_per_sector() {
        use SizeSector::*;
        // (sector, employees, revenue 万元, assets 万元, expected)
        let cases = [
            (Agriculture, 0, 20_000, 0, SizeClass::Large),
            (Agriculture, 0, 500, 0, SizeClass::Medium),
            (Agriculture, 0, 50, 0, SizeClass::Small),
            (Agriculture, 0, 49, 0, SizeClass::Micro),
            (Construction, 0, 6_000, 5_000, SizeClass::Medium),
            (Construction, 0, 6_000, 4_999, SizeClass::Small),
            (Construction, 0, 299, 10_000, SizeClass::Micro),
            (Wholesale, 20, 5_000, 0, SizeClass::Medium),
            (Wholesale, 5, 1_000, 0, SizeClass::Small),
            (Wholesale, 4, 1_000, 0, SizeClass::Micro),
            (Retail, 50, 500, 0, SizeClass::Medium),
            (Retail, 10, 100, 0, SizeClass::Small),
            (Retail, 9, 100, 0, SizeClass::Micro),
            (Transport, 300, 3_000, 0, SizeClass::Medium),
            (Warehousing, 100, 1_000, 0, SizeClass::Medium),
            (Postal, 300, 2_000, 0, SizeClass::Medium),
            (Accommodation, 100, 2_000, 0, SizeClass::Medium),
            (Catering, 10, 100, 0, SizeClass::Small),
            (InformationTransmission, 2_000, 100_000, 0, SizeClass::Large),
            (Software, 10, 50, 0, SizeClass::Small),
            (Software, 9, 50, 0, SizeClass::Micro),
            (RealEstateDevelopment, 0, 1_000, 5_000, SizeClass::Medium),
            (RealEstateDevelopment, 0, 100, 1_999, SizeClass::Micro),
            (PropertyManagement, 300, 1_000, 0, SizeClass::Medium),
            (PropertyManagement, 99, 10_000, 0, SizeClass::Micro),
            (LeasingAndBusinessServices, 100, 0, 8_000, SizeClass::Medium),
            (LeasingAndBusinessServices, 10, 0, 100, SizeClass::Small),
            (Other, 300, 0, 0, SizeClass::Large),
            (Other, 100, 0, 0, SizeClass::Medium),
            (Other, 9, 0, 0, SizeClass::Micro),
        ];
        for (sector, emp, rev, assets, expected) in cases {
            assert_eq!(
                classify(sector, emp, rev * WAN, assets * WAN),
                expected,
                "{sector:?} {emp} {rev} {assets}"
            );
        }
    }

    #[test]
    fn divisions_map_to_sectors() {
        assert_eq!(SizeSector::for_division("01"), SizeSector::Agriculture);
        assert_eq!(SizeSector::for_division("39"), SizeSector::Industry);
        assert_eq!(SizeSector::for_division("44"), SizeSector::Industry);
        assert_eq!(SizeSector::for_division("48"), SizeSector::Construction);
        assert_eq!(SizeSector::for_division("52"), SizeSector::Retail);
        assert_eq!(SizeSector::for_division("53"), SizeSector::Other);
        assert_eq!(SizeSector::for_division("65"), SizeSector::Software);
        assert_eq!(
            SizeSector::for_division("72"),
            SizeSector::LeasingAndBusinessServices
        );
        assert_eq!(SizeSector::for_division("83"), SizeSector::Other);
    }

    #[test]
    fn codes_round_trip() {
        for c in SizeClass::ALL {
            assert_eq!(c.code().parse::<SizeClass>().unwrap(), c);
        }
        assert!("huge".parse::<SizeClass>().is_err());
    }
}
