//! The renderers and the command line of `netpol diff`.

use super::*;

// ----- renderers and the command line -------------------------------------------

#[test]
fn json_has_the_interface_keys() {
    let (bs, b) = load("base.yaml", CLUSTER);
    let (hs, h) = load("head.yaml", &format!("{CLUSTER}{API_FROM_WEB_8080}"));
    let d = netpol::diff::diff_models(&b, &h, &DiffOptions::default());
    let text = render(
        &d,
        DiffSources {
            base: &bs,
            head: &hs,
        },
        "json",
    )
    .unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    for key in [
        "version",
        "endpoints",
        "endpointsAdded",
        "endpointsRemoved",
        "added",
        "removed",
        "summary",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["summary"]["added"], 0);
    assert_eq!(v["summary"]["removed"], d.removed.len());
    let first = &v["removed"][0];
    assert!(first["from"].is_string() && first["to"].is_string());
    assert!(first["allowed"][0]["protocol"].is_string());
    assert!(first["allowed"][0]["ports"][0].is_array());
    assert_eq!(
        first["why"]["head"]["ingress"]["isolatedBy"][0]["file"],
        "head.yaml"
    );
    let ext = v["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "External")
        .unwrap();
    assert!(ext["cidrs"].is_array());
}

#[test]
fn text_and_markdown_name_the_responsible_rules() {
    let head = API_FROM_WEB_8080.replace(
        "ports: [{port: 8080}]",
        "ports: [{port: 8080}, {port: 9090}]",
    );
    let (bs, b) = load("base.yaml", &format!("{CLUSTER}{API_FROM_WEB_8080}"));
    let (hs, h) = load("head.yaml", &format!("{CLUSTER}{head}"));
    let d = netpol::diff::diff_models(&b, &h, &DiffOptions::default());
    let sources = DiffSources {
        base: &bs,
        head: &hs,
    };
    let text = render(&d, sources, "text").unwrap();
    assert!(
        text.starts_with("1 connection added, 0 removed\n"),
        "{text}"
    );
    assert!(text.contains("+ shop/web -> shop/api: TCP 9090"), "{text}");
    assert!(
        text.contains("head allows TCP 9090 by shop/api-in spec.ingress[0].from[0] (head.yaml:"),
        "{text}"
    );
    assert!(text.contains("base denies it:"), "{text}");
    let md = render(&d, sources, "md").unwrap();
    assert!(
        md.starts_with("### netpol diff\n\n**1 connection added, 0 removed**"),
        "{md}"
    );
    assert!(
        md.contains("| ➕ added | `shop/web` | `shop/api` | TCP 9090 |"),
        "{md}"
    );
    assert!(!md.contains("<details>"));
    // A long table folds.
    let (bs2, b2) = load("base.yaml", CLUSTER);
    let d = netpol::diff::diff_models(&b2, &Model::default(), &DiffOptions::default());
    let md = render(
        &d,
        DiffSources {
            base: &bs2,
            head: &SourceSet::new(),
        },
        "md",
    )
    .unwrap();
    assert!(d.removed.len() > 20);
    assert!(md.contains("<details><summary>"), "{md}");
    let nothing = netpol::diff::diff_models(&b2, &b2, &DiffOptions::default());
    assert_eq!(
        render(
            &nothing,
            DiffSources {
                base: &bs2,
                head: &bs2
            },
            "text"
        )
        .unwrap(),
        "no change in connectivity\n"
    );
}

/// A read-only in-memory file system of plain files.
struct Files(BTreeMap<String, String>);

impl netpol::cli::FileSource for Files {
    fn read_file(&self, path: &str) -> Result<String, netpol::cli::FileError> {
        self.0
            .get(path)
            .cloned()
            .ok_or(netpol::cli::FileError::NotFound)
    }
    fn read_dir(&self, _: &str) -> Result<Vec<netpol::cli::DirEntry>, netpol::cli::FileError> {
        Err(netpol::cli::FileError::NotFound)
    }
    fn kind(&self, path: &str) -> Result<netpol::cli::EntryKind, netpol::cli::FileError> {
        if self.0.contains_key(path) {
            Ok(netpol::cli::EntryKind::File)
        } else {
            Err(netpol::cli::FileError::NotFound)
        }
    }
    fn read_stdin(&self) -> Result<String, netpol::cli::FileError> {
        Err(netpol::cli::FileError::NotFound)
    }
    fn write_file(&self, _: &str, _: &str) -> Result<(), netpol::cli::FileError> {
        Err(netpol::cli::FileError::NotFound)
    }
    fn is_terminal(&self, _: netpol::cli::Stream) -> bool {
        false
    }
    fn now(&self) -> netpol::cli::Timestamp {
        netpol::cli::Timestamp {
            seconds: 0,
            nanos: 0,
        }
    }
}

fn cli(args: &[&str]) -> netpol::cli::Outcome {
    let files = Files(BTreeMap::from([
        ("cluster.yaml".to_string(), CLUSTER.to_string()),
        ("old.yaml".to_string(), API_FROM_WEB_8080.to_string()),
        (
            "new.yaml".to_string(),
            API_FROM_WEB_8080.replace(
                "ports: [{port: 8080}]",
                "ports: [{port: 8080}, {port: 9090}]",
            ),
        ),
        (
            "mixed.yaml".to_string(),
            format!("{CLUSTER}{API_FROM_WEB_8080}"),
        ),
    ]));
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    netpol::cli::run(&args, &files)
}

#[test]
fn cli_diff_with_a_shared_cluster_and_fail_on() {
    let out = cli(&[
        "diff",
        "--base",
        "old.yaml",
        "--head",
        "new.yaml",
        "--cluster",
        "cluster.yaml",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("+ shop/web -> shop/api: TCP 9090"),
        "{}",
        out.stdout
    );
    let added = cli(&[
        "diff",
        "--base",
        "old.yaml",
        "--head",
        "new.yaml",
        "--cluster",
        "cluster.yaml",
        "--fail-on",
        "added",
    ]);
    assert_eq!(added.code, 1);
    let removed = cli(&[
        "diff",
        "--fail-on",
        "removed",
        "--base",
        "old.yaml",
        "--head",
        "new.yaml",
        "--cluster",
        "cluster.yaml",
    ]);
    assert_eq!(removed.code, 0);
    let any = cli(&[
        "diff",
        "--base",
        "new.yaml",
        "--head",
        "old.yaml",
        "--cluster",
        "cluster.yaml",
        "--fail-on",
        "any",
        "--format",
        "json",
    ]);
    assert_eq!(any.code, 1);
    let v: Value = serde_json::from_str(&any.stdout).unwrap();
    assert_eq!(v["summary"]["removed"], 1);
    // With --cluster a side's own Pods are ignored: mixed.yaml's pods do not appear twice.
    let same = cli(&[
        "diff",
        "--base",
        "mixed.yaml",
        "--head",
        "old.yaml",
        "--cluster",
        "cluster.yaml",
        "--fail-on",
        "any",
    ]);
    assert_eq!(same.code, 0, "{}", same.stdout);
    // Without --cluster each side has its own cluster: old.yaml has no pods.
    let sides = cli(&[
        "diff",
        "--base",
        "mixed.yaml",
        "--head",
        "old.yaml",
        "--format",
        "md",
    ]);
    assert_eq!(sides.code, 0);
    assert!(
        sides
            .stdout
            .contains("Endpoints removed: `shop/api`, `shop/web`"),
        "{}",
        sides.stdout
    );
    assert!(
        sides
            .stdout
            .contains("head: `shop/api` does not exist in head"),
        "{}",
        sides.stdout
    );
}

#[test]
fn cli_diff_usage_errors_exit_2() {
    for args in [
        &["diff", "--base", "old.yaml"][..],
        &[
            "diff",
            "--base",
            "old.yaml",
            "--head",
            "new.yaml",
            "--fail-on",
            "error",
        ],
        &["diff", "--base", "old.yaml", "--head", "missing.yaml"],
        &[
            "diff", "--base", "old.yaml", "--head", "new.yaml", "--format", "sarif",
        ],
        &["diff", "old.yaml", "new.yaml"],
    ] {
        let out = cli(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stdout);
        assert!(out.stderr.contains("error"), "{args:?}");
    }
}
