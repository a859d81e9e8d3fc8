//! 国民经济行业分类 (industrial classification), GB/T 4754-2017: sections (门类) and
//! divisions (大类), shipped as `data/industries.csv`.

use std::sync::LazyLock;

const DATA: &str = include_str!("../../data/industries.csv");

/// 门类, e.g. `C` 制造业.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub code: &'static str,
    pub name: &'static str,
}

/// 大类, e.g. `39` 计算机、通信和其他电子设备制造业.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    pub code: &'static str,
    pub name: &'static str,
    pub section: &'static str,
}

pub struct IndustryTable {
    sections: Vec<Section>,
    divisions: Vec<Division>,
}

static TABLE: LazyLock<IndustryTable> = LazyLock::new(|| {
    let mut sections = Vec::new();
    let mut divisions = Vec::new();
    for line in DATA.lines().skip(1).filter(|l| !l.is_empty()) {
        let mut f = line.split(',');
        let code = f.next().expect("code");
        let name = f.next().expect("name");
        let section = f.next().expect("section");
        if section.is_empty() {
            sections.push(Section { code, name });
        } else {
            divisions.push(Division {
                code,
                name,
                section,
            });
        }
    }
    IndustryTable {
        sections,
        divisions,
    }
});

pub fn industries() -> &'static IndustryTable {
    &TABLE
}

impl IndustryTable {
    pub fn sections(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter()
    }

    pub fn divisions(&self) -> impl Iterator<Item = &Division> {
        self.divisions.iter()
    }

    pub fn section(&self, code: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.code == code)
    }

    pub fn division(&self, code: &str) -> Option<&Division> {
        self.divisions.iter().find(|d| d.code == code)
    }

    pub fn divisions_of<'a>(&'a self, section: &'a str) -> impl Iterator<Item = &'a Division> + 'a {
        self.divisions.iter().filter(move |d| d.section == section)
    }

    pub fn section_of_division(&self, code: &str) -> Option<&Section> {
        self.division(code).and_then(|d| self.section(d.section))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_sections_and_ninety_seven_divisions() {
        let t = industries();
        assert_eq!(t.sections().count(), 20);
        assert_eq!(t.divisions().count(), 97);
        let letters: String = t.sections().map(|s| s.code).collect();
        assert_eq!(letters, "ABCDEFGHIJKLMNOPQRST");
    }

    #[test]
    fn divisions_are_numbered_in_order_within_their_sections() {
        let t = industries();
        let mut previous = 0;
        for d in t.divisions() {
            let n: u32 = d.code.parse().unwrap();
            assert_eq!(n, previous + 1, "divisions run 01..97 without gaps");
            previous = n;
            assert!(t.section(d.section).is_some());
        }
        assert_eq!(t.section_of_division("39").unwrap().name, "制造业");
        assert_eq!(t.division("65").unwrap().name, "软件和信息技术服务业");
        assert_eq!(t.divisions_of("C").count(), 31);
    }
}
