// Near misses: nothing here may be reported.
pub fn validated(bytes: &[u8]) -> Result<usize, Error> {
    let features: Features = serde_json::from_slice(bytes)?;
    validate_features(&features)?;
    apply(&features.entries);
    Ok(features.entries.len())
}

pub fn parsed_not_validated(bytes: &[u8]) -> Result<Limits, Error> {
    let raw: RawLimits = bincode::deserialize(bytes)?;
    let limits = Limits::try_from(raw)?;
    Ok(limits)
}

pub fn converted(text: &str) -> Result<Port, Error> {
    let raw: u32 = serde_json::from_str(text)?;
    let port: Port = raw.try_into()?;
    Ok(port)
}

pub fn receiver_validates(text: &str) -> Result<(), Error> {
    let config: Config = toml::from_str(text)?;
    config.validate()?;
    serve(config);
    Ok(())
}

pub fn in_a_condition(text: &str) -> u32 {
    let config: Config = serde_json::from_str(text).unwrap_or_default();
    if !check_config(&config) {
        return 0;
    }
    config.port
}

pub fn in_a_guard(text: &str) -> u32 {
    match serde_json::from_str::<Config>(text) {
        Ok(config) if verify(&config) => config.port,
        _ => 0,
    }
}

pub fn unused(text: &str) {
    let _ignored: Result<Config, _> = serde_json::from_str(text);
}

pub fn shadowed(text: &str) -> Result<u32, Error> {
    let config: Config = serde_json::from_str(text)?;
    let config = validate(config)?;
    Ok(config.port)
}

pub fn not_a_source(text: &str) -> usize {
    let parsed = my_parser::from_str(text);
    parsed.len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tests_use_fixtures_directly() {
        let config: super::Config = serde_json::from_str("{}").unwrap();
        assert_eq!(config.port, 0);
    }
}
