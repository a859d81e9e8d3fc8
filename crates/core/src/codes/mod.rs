//! National codes (国家标准代码): USCC, resident ID numbers, administrative divisions,
//! industries and enterprise size classes. Parsers here are the only way such codes enter the
//! platform.

pub mod industry;
pub mod region;
pub mod resident_id;
pub mod size_class;
pub mod uscc;

/// Why a code was rejected. `code()` is the stable machine code; `Display` is for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("统一社会信用代码应为18位，实际为{0}位")]
    UsccLength(usize),
    #[error("统一社会信用代码含有非法字符“{0}”（不得使用 I、O、Z、S、V 及小写以外的符号）")]
    UsccAlphabet(char),
    #[error("统一社会信用代码校验位错误")]
    UsccCheck,
    #[error("身份证号应为18位，实际为{0}位")]
    IdLength(usize),
    #[error("身份证号含有非法字符“{0}”")]
    IdAlphabet(char),
    #[error("身份证号中的出生日期无效")]
    IdBirthDate,
    #[error("身份证号校验位错误")]
    IdCheck,
    #[error("未知行政区划代码：{0}")]
    RegionUnknown(String),
    #[error("未知行业代码：{0}")]
    IndustryUnknown(String),
    #[error("未知企业规模：{0}")]
    SizeClassUnknown(String),
}

impl CodeError {
    pub fn code(&self) -> &'static str {
        match self {
            CodeError::UsccLength(_) => "uscc.length",
            CodeError::UsccAlphabet(_) => "uscc.alphabet",
            CodeError::UsccCheck => "uscc.check",
            CodeError::IdLength(_) => "id.length",
            CodeError::IdAlphabet(_) => "id.alphabet",
            CodeError::IdBirthDate => "id.birth_date",
            CodeError::IdCheck => "id.check",
            CodeError::RegionUnknown(_) => "region.unknown",
            CodeError::IndustryUnknown(_) => "industry.unknown",
            CodeError::SizeClassUnknown(_) => "size_class.unknown",
        }
    }
}
