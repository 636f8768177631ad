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

impl Loader {
    pub fn stored(&mut self, text: &str) -> Result<(), Error> {
        self.config = serde_json::from_str(text)?; //~ CX0004
        Ok(())
    }
}

pub fn passed(text: &str) -> Result<(), Error> {
    apply(serde_json::from_str(text)?); //~ CX0004
    Ok(())
}

pub fn in_a_struct(text: &str) -> Result<Wrapper, Error> {
    Ok(Wrapper {
        inner: serde_json::from_str(text)?, //~ CX0004
    })
}

pub fn pushed(text: &str, all: &mut Vec<Config>) -> Result<(), Error> {
    all.push(serde_json::from_str(text)?); //~ CX0004
    Ok(())
}

pub fn assigned(text: &str) -> Result<u32, Error> {
    let mut config = Config::default();
    config = serde_json::from_str(text)?; //~ CX0004
    Ok(config.port)
}

pub fn returned_as_tail(text: &str) -> Result<Config, serde_json::Error> {
    serde_json::from_str(text) //~ CX0004
}

pub fn returned(text: &str) -> Result<Config, Error> {
    return Ok(serde_json::from_str(text)?); //~ CX0004
}

pub fn mapped(raw: &str) -> Result<u32, Error> {
    serde_json::from_str::<Config>(raw).map(|f| f.port).map_err(Error::from) //~ CX0004
}

pub fn tuple(text: &str) -> Result<u32, Error> {
    let (low, high): (u32, u32) = serde_json::from_str(text)?; //~ CX0004
    Ok(high - low)
}

pub fn destructured(text: &str) -> Result<u32, Error> {
    let Config { port, .. } = serde_json::from_str(text)?; //~ CX0004
    Ok(port)
}

pub fn defaulted(text: &str) -> u32 {
    let config: Config = serde_json::from_str(text).unwrap_or_default(); //~ CX0004
    config.port
}

pub fn fallback(text: &str) -> u32 {
    let config: Config = serde_json::from_str(text).unwrap_or_else(|_| Config::default()); //~ CX0004
    config.port
}

pub fn let_else(text: &str) -> u32 {
    let Ok(config) = serde_json::from_str::<Config>(text) else { //~ CX0004
        return 0;
    };
    config.port
}

pub fn only_in_a_closure(text: &str, ports: &[u32]) -> Result<usize, Error> {
    let config: Config = serde_json::from_str(text)?; //~ CX0004
    Ok(ports.iter().filter(|p| **p == config.port).count())
}

pub fn implicit_capture(text: &str) -> Result<(), Error> {
    let config: Config = serde_json::from_str(text)?; //~ CX0004
    tracing::trace!("loaded {config:?}");
    Ok(())
}

pub fn imported_in_the_function(text: &str) -> Result<u32, Error> {
    use serde_json::from_str;
    let config: Config = from_str(text)?; //~ CX0004
    Ok(config.port)
}

pub fn read_is_not_a_check(text: &str) -> Result<usize, Error> {
    let config: Config = serde_json::from_str(text)?; //~ CX0004
    let count = config.entries.len();
    if count > 0 {
        log(count);
    }
    Ok(count)
}

pub fn returned_from_if_let(text: &str) -> Config {
    if let Ok(config) = serde_json::from_str(text) { //~ CX0004
        return config;
    }
    Config::default()
}
