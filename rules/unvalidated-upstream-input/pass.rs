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

pub fn bounds_checked(text: &str) -> Result<u32, Error> {
    let config: Config = serde_json::from_str(text)?;
    if config.entries.len() > 200 {
        return Err(Error::TooManyEntries);
    }
    Ok(config.port)
}

pub fn ensured(text: &str) -> anyhow::Result<u32> {
    let config: Config = serde_json::from_str(text)?;
    anyhow::ensure!(config.entries.len() <= 200, "{} entries", config.entries.len());
    Ok(config.port)
}

pub fn skipped_in_a_loop(lines: &[&str]) -> u32 {
    let mut total = 0;
    for line in lines {
        let config: Config = match serde_json::from_str(line) {
            Ok(config) => config,
            Err(_) => continue,
        };
        if config.port == 0 {
            continue;
        }
        total += config.port;
    }
    total
}

pub fn validated_on_the_spot(text: &str) -> Result<(), Error> {
    validate(serde_json::from_str(text)?)?;
    serde_json::from_str::<Config>(text)?.validate()?;
    Ok(())
}

pub fn validated_in_a_chain(text: &str) -> Result<Config, Error> {
    serde_json::from_str::<Config>(text)
        .map_err(Error::from)
        .and_then(check_config)
}

pub fn validated_in_a_closure(text: &str) -> Result<Config, Error> {
    serde_json::from_str::<Config>(text)
        .map_err(Error::from)
        .and_then(|config| verify(&config).map(|()| config))
}

pub fn error_tested_first(text: &str) -> Result<Config, Error> {
    let parsed = serde_json::from_str::<Config>(text);
    if parsed.is_err() {
        return Err(Error::Parse);
    }
    let config = parsed?;
    validate(&config)?;
    Ok(config)
}

pub fn reassigned_then_checked(text: &str) -> Result<u32, Error> {
    let mut config = Config::default();
    config = serde_json::from_str(text)?;
    check(&config)?;
    Ok(config.port)
}

pub fn moved_then_checked(text: &str) -> Result<u32, Error> {
    let raw: Config = serde_json::from_str(text)?;
    let config = raw;
    config.validate()?;
    Ok(config.port)
}

pub fn a_parser_closure(items: &[String]) -> Vec<Result<Config, serde_json::Error>> {
    // The closure hands the value to its caller, which this function cannot follow.
    items.iter().map(|item| serde_json::from_str(item)).collect()
}

pub fn other_captures(text: &str, port: u32) -> Result<(), Error> {
    let config: Config = serde_json::from_str(text)?;
    tracing::trace!("{port} {{config}}");
    validate(&config)?;
    Ok(())
}

pub fn destructured_then_checked(text: &str) -> Result<u32, Error> {
    let (low, high): (u32, u32) = serde_json::from_str(text)?;
    if low > high {
        return Err(Error::Range);
    }
    Ok(high - low)
}

pub fn one_name_checked(text: &str) -> Result<u32, Error> {
    // The first event of any name bound from a source settles the source.
    let (low, high): (u32, u32) = serde_json::from_str(text)?;
    if low == 0 {
        return Err(Error::Range);
    }
    Ok(high)
}

pub fn only_the_error(text: &str) -> Option<String> {
    let error = serde_json::from_str::<Config>(text).err()?;
    Some(error.to_string())
}
