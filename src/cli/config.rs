//! The configuration of a run: `--config FILE` or `./.netpol.yaml`, then `--rule`
//! `--fail-on` and `--cni`.

use alloc::format;
use alloc::string::String;

use super::files::{EntryKind, FileError, FileSource};
use super::{Invocation, UsageError};
use crate::lint::Config;
use crate::report::context::RenderContext;
use crate::report::{text, LintReport, Summary};
use crate::source::{Source, SourceSet};

/// The configuration file read from the working directory when `--config` is not
/// given (if it exists).
pub const DEFAULT_CONFIG_FILE: &str = ".netpol.yaml";

/// Reads the configuration file, applies `--rule`, `--fail-on` and `--cni`. A missing
/// `--config` file, an invalid file or a bad `--rule` is an error (exit 2).
pub fn load_config(invocation: &Invocation<'_>) -> Result<Config, UsageError> {
    let common = &invocation.args.common;
    let mut config = match config_text(invocation)? {
        Some((name, text)) => parse(name, text)?,
        None => Config::default(),
    };
    for rule in &common.rules {
        config
            .set_rule(rule)
            .map_err(|reason| UsageError::new(format!("invalid --rule '{rule}': {reason}")))?;
    }
    if let Some(fail_on) = common.fail_on {
        config.set_fail_on_level(fail_on);
    }
    if let Some(cni) = common.cni {
        config.cni = cni;
    }
    Ok(config)
}

/// The configuration file's name and text, if there is one.
fn config_text(invocation: &Invocation<'_>) -> Result<Option<(String, String)>, UsageError> {
    let files = invocation.files;
    let path = match &invocation.args.common.config {
        Some(path) => path.clone(),
        None => match files.kind(DEFAULT_CONFIG_FILE) {
            Ok(EntryKind::File) => String::from(DEFAULT_CONFIG_FILE),
            Ok(_) | Err(FileError::NotFound) => return Ok(None),
            Err(error) => return Err(cannot_read_config(DEFAULT_CONFIG_FILE, &error)),
        },
    };
    let text = files
        .read_file(&path)
        .map_err(|error| cannot_read_config(&path, &error))?;
    Ok(Some((path, text)))
}

/// The configuration of a folder (its `.netpol.yaml`, else the defaults), as the
/// language server reads it for the folder an editor opens.
pub fn folder_config(files: &dyn FileSource, folder: &str) -> Result<Config, UsageError> {
    let path = format!("{}/{DEFAULT_CONFIG_FILE}", folder.trim_end_matches('/'));
    match files.kind(&path) {
        Ok(EntryKind::File) => {}
        Ok(_) | Err(FileError::NotFound) => return Ok(Config::default()),
        Err(error) => return Err(cannot_read_config(&path, &error)),
    }
    let text = files
        .read_file(&path)
        .map_err(|error| cannot_read_config(&path, &error))?;
    parse(path, text)
}

/// Parses the file; its problems are listed under the error like findings.
fn parse(name: String, text: String) -> Result<Config, UsageError> {
    let mut sources = SourceSet::new();
    let id = sources.add(Source::new(name.clone(), text));
    let Some(source) = sources.get(id) else {
        return Ok(Config::default());
    };
    Config::parse(source, id).map_err(|diagnostics| {
        let report = LintReport::new(diagnostics, &sources, Summary::default(), None);
        let details = text::render_findings(&report, &RenderContext::new(&sources));
        UsageError::new(format!("invalid configuration in '{name}'")).with_details(details)
    })
}

fn cannot_read_config(path: &str, error: &FileError) -> UsageError {
    UsageError::new(format!("cannot read configuration '{path}': {error}"))
}
