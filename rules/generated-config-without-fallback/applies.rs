// The selector matches each call that reads or deserializes a file or payload; the review
// rule then applies to changes in the functions holding them.
use std::fs;

pub fn load_features(bytes: &[u8]) -> Result<Vec<Feature>, Error> {
    let features: Vec<Feature> = serde_json::from_slice(bytes)?; //~ CX0007
    Ok(features)
}

pub fn load_rules(path: &Path) -> Result<Rules, Error> {
    let text = fs::read_to_string(path)?; //~ CX0007
    Ok(toml::from_str(&text)?) //~ CX0007
}

pub fn reload(&mut self, bytes: &[u8]) {
    self.config = serde_yaml::from_slice(bytes).unwrap_or_default(); //~ CX0007
}
