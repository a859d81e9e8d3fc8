//! 行政区划 (administrative divisions), GB/T 2260: the whole country to county level, shipped
//! as `data/regions.csv` and parsed once.

use std::collections::HashMap;
use std::sync::LazyLock;

const DATA: &str = include_str!("../../data/regions.csv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionLevel {
    /// 省级
    Province,
    /// 地级
    Prefecture,
    /// 县级
    County,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: &'static str,
    pub name: &'static str,
    pub parent_code: Option<&'static str>,
    pub level: RegionLevel,
}

pub struct RegionTable {
    rows: Vec<Region>,
    by_code: HashMap<&'static str, usize>,
}

static TABLE: LazyLock<RegionTable> = LazyLock::new(|| {
    let rows: Vec<Region> = DATA
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut f = line.split(',');
            let code = f.next().expect("code");
            let name = f.next().expect("name");
            let parent = f.next().expect("parent");
            let level = match f.next().expect("level") {
                "province" => RegionLevel::Province,
                "prefecture" => RegionLevel::Prefecture,
                _ => RegionLevel::County,
            };
            Region {
                code,
                name,
                parent_code: (!parent.is_empty()).then_some(parent),
                level,
            }
        })
        .collect();
    let by_code = rows.iter().enumerate().map(|(i, r)| (r.code, i)).collect();
    RegionTable { rows, by_code }
});

/// The region table.
pub fn regions() -> &'static RegionTable {
    &TABLE
}

impl RegionTable {
    pub fn get(&self, code: &str) -> Option<&Region> {
        self.by_code.get(code).map(|&i| &self.rows[i])
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Region> {
        self.rows.iter()
    }

    /// Direct children of a region.
    pub fn children<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Region> + 'a {
        self.rows
            .iter()
            .filter(move |r| r.parent_code == Some(code))
    }

    /// County-level regions under a code or code prefix: `41` or `410000` (a province),
    /// `4101` or `410100` (a city), or a county code itself.
    pub fn counties_of(&self, code_or_prefix: &str) -> Vec<&Region> {
        let mut prefix = code_or_prefix;
        while prefix.len() > 2 && prefix.ends_with("00") {
            prefix = &prefix[..prefix.len() - 2];
        }
        self.rows
            .iter()
            .filter(|r| r.level == RegionLevel::County && r.code.starts_with(prefix))
            .collect()
    }

    /// The province-level region a code belongs to.
    pub fn province_of(&self, code: &str) -> Option<&Region> {
        let mut region = self.get(code)?;
        while let Some(parent) = region.parent_code {
            region = self.get(parent)?;
        }
        Some(region)
    }

    /// The full name from the province down, e.g. 河南省郑州市金水区; the code itself if unknown.
    pub fn full_name(&self, code: &str) -> String {
        let mut names = Vec::new();
        let mut current = self.get(code);
        while let Some(region) = current {
            names.push(region.name);
            current = region.parent_code.and_then(|p| self.get(p));
        }
        if names.is_empty() {
            return code.to_owned();
        }
        names.reverse();
        names.concat()
    }
}

/// The prefix every region under a GB/T 2260 code starts with: `410000` → `41`, `410100` →
/// `4101`, `410105` → `410105`. A jurisdiction covers exactly the regions with its prefix.
pub fn region_prefix(code: &str) -> String {
    let mut prefix = code.trim();
    while prefix.len() > 2 && prefix.ends_with("00") {
        prefix = &prefix[..prefix.len() - 2];
    }
    prefix.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn zhengzhou_hierarchy() {
        let t = regions();
        assert_eq!(t.get("410105").unwrap().name, "金水区");
        assert_eq!(t.get("410105").unwrap().parent_code, Some("410100"));
        assert_eq!(t.get("410100").unwrap().parent_code, Some("410000"));
        assert_eq!(t.full_name("410105"), "河南省郑州市金水区");
        let counties: HashSet<&str> = t.counties_of("4101").iter().map(|r| r.code).collect();
        for code in [
            "410102", "410103", "410104", "410105", "410106", "410108", "410122", "410181",
            "410182", "410183", "410184", "410185",
        ] {
            assert!(counties.contains(code), "{code}");
        }
        assert_eq!(t.counties_of("410100").len(), counties.len());
    }

    #[test]
    fn municipality_counties_resolve_to_their_province() {
        assert_eq!(regions().province_of("110101").unwrap().name, "北京市");
    }

    #[test]
    fn table_is_whole_and_consistent() {
        let t = regions();
        let provinces = t
            .iter()
            .filter(|r| r.level == RegionLevel::Province)
            .count();
        assert_eq!(provinces, 34);
        assert!(t.iter().filter(|r| r.level == RegionLevel::County).count() > 2_800);
        let mut seen = HashSet::new();
        for r in t.iter() {
            assert_eq!(r.code.len(), 6, "{}", r.code);
            assert!(r.code.bytes().all(|b| b.is_ascii_digit()));
            assert!(seen.insert(r.code), "duplicate {}", r.code);
            assert!(!r.name.is_empty());
            if r.level != RegionLevel::Province {
                assert!(t.get(r.parent_code.unwrap()).is_some(), "orphan {}", r.code);
            }
        }
    }
}
