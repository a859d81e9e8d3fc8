//! The eligibility part (准入条件) of the product and policy forms: the same fields, read and
//! refilled the same way, so a product and a policy are restricted with one vocabulary.

use xinrong_core::codes::size_class::SizeClass;
use xinrong_core::finance::eligibility::Eligibility;
use xinrong_services::ServiceError;

/// The eligibility fields as typed: codes and tags separated by spaces, commas or 、.
#[derive(Debug, Clone, Default)]
pub struct EligibilityFields {
    pub min_grade: String,
    pub required_tags: String,
    pub excluded_tags: String,
    pub size_classes: Vec<String>,
    pub min_age: String,
    pub max_age: String,
    pub industries: String,
    pub regions: String,
    pub whitelist_required: bool,
    pub green_required: bool,
}

/// Words of a free-text list field.
fn words(t: &str) -> Vec<String> {
    t.split(|c: char| c.is_whitespace() || c == ',' || c == '，' || c == '、')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An optional whole number of months.
fn months(t: &str, what: &str) -> Result<Option<u32>, ServiceError> {
    let t = t.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u32>()
        .map(Some)
        .map_err(|_| ServiceError::invalid("eligibility.age", format!("{what}须为整数个月")))
}

impl EligibilityFields {
    /// Takes one submitted field if it belongs to the eligibility; false if it does not.
    pub fn accept(&mut self, key: &str, val: String) -> bool {
        match key {
            "min_grade" => self.min_grade = val,
            "required_tags" => self.required_tags = val,
            "excluded_tags" => self.excluded_tags = val,
            "size_class" => self.size_classes.push(val),
            "min_age" => self.min_age = val,
            "max_age" => self.max_age = val,
            "industries" => self.industries = val,
            "regions" => self.regions = val,
            "whitelist_required" => self.whitelist_required = true,
            "green_required" => self.green_required = true,
            _ => return false,
        }
        true
    }

    /// The fields showing a stored rule (for editing).
    pub fn of(e: &Eligibility) -> EligibilityFields {
        EligibilityFields {
            min_grade: e.min_grade.clone().unwrap_or_default(),
            required_tags: e.required_tags.join(" "),
            excluded_tags: e.excluded_tags.join(" "),
            size_classes: e.size_classes.iter().map(|s| s.code().to_owned()).collect(),
            min_age: e.min_age_months.map(|m| m.to_string()).unwrap_or_default(),
            max_age: e.max_age_months.map(|m| m.to_string()).unwrap_or_default(),
            industries: e.industries.join(" "),
            regions: e.regions.join(" "),
            whitelist_required: e.whitelist_required,
            green_required: e.green_required,
        }
    }

    /// The rule typed; codes and tags are checked by the service (`Eligibility::validate`).
    pub fn parse(&self) -> Result<Eligibility, ServiceError> {
        Ok(Eligibility {
            min_grade: Some(self.min_grade.trim().to_owned()).filter(|g| !g.is_empty()),
            required_tags: words(&self.required_tags),
            excluded_tags: words(&self.excluded_tags),
            size_classes: self
                .size_classes
                .iter()
                .filter_map(|s| SizeClass::ALL.into_iter().find(|c| c.code() == s))
                .collect(),
            min_age_months: months(&self.min_age, "最短成立时间")?,
            max_age_months: months(&self.max_age, "最长成立时间")?,
            industries: words(&self.industries),
            regions: words(&self.regions),
            whitelist_required: self.whitelist_required,
            green_required: self.green_required,
        })
    }
}
