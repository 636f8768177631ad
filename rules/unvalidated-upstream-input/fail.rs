// Each line marked `//~ CX0004` must be reported, and no other.
use serde_json::from_slice as parse_features;

pub fn load(bytes: &[u8]) -> Result<usize, Error> {
    let features: Features = serde_json::from_slice(bytes)?; //~ CX0004
    apply(&features.entries);
    validate_features(&features)?; // too late
    Ok(features.entries.len())
}

pub fn aliased(bytes: &[u8]) -> Result<Features, Error> {
    let features = parse_features(bytes).map_err(Error::from)?; //~ CX0004
    Ok(features)
}

pub async fn body(response: Response) -> Result<(), Error> {
    let rule: Rule = response.json().await?; //~ CX0004
    let run = move || rule.execute();
    run();
    Ok(())
}

pub fn matched(text: &str) -> u32 {
    match toml::from_str::<Config>(text) { //~ CX0004
        Ok(config) => config.port,
        Err(_) => 0,
    }
}

pub fn if_let(text: &str) {
    if let Ok(config) = serde_yaml::from_str::<Config>(text) { //~ CX0004
        println!("{:?}", config);
    }
}

pub fn through_match(text: &str) -> Result<Config, Error> {
    let config = match serde_json::from_str::<Config>(text) { //~ CX0004
        Ok(config) => config,
        Err(error) => return Err(error.into()),
    };
    store(config);
    Ok(Config::default())
}
