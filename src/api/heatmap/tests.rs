use super::*;
use crate::api::SourceFile;
use crate::lint::Config;

const MANIFESTS: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{port: 5432}, {port: 8080, endPort: 8090}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
    - to: [{podSelector: {matchLabels: {app: db}}}]
    - to: [{ipBlock: {cidr: 203.0.113.0/24}}]
      ports: [{port: 443}]
";

fn heatmap(port: Option<u16>) -> HeatmapAnswer {
    let workspace = Workspace::load([SourceFile::text("k8s.yaml", MANIFESTS)], Config::default());
    workspace.heatmap(&HeatmapFilter { port }).unwrap()
}

fn pair<'a>(answer: &'a HeatmapAnswer, from: &str, to: &str) -> Option<&'a HeatmapPair> {
    answer.pairs.iter().find(|p| p.from == from && p.to == to)
}

#[test]
fn states_follow_the_port_filter_per_protocol() {
    let every = heatmap(None);
    let web_db = pair(&every, "shop/web", "shop/db").unwrap();
    assert_eq!(web_db.states.any, CellState::Some);
    assert_eq!(web_db.states.tcp, CellState::Some);
    assert_eq!(web_db.states.udp, CellState::None);
    let db_web = pair(&every, "shop/db", "shop/web").unwrap();
    assert_eq!(
        db_web.states.any,
        CellState::All,
        "no policy selects web for ingress"
    );

    let open = heatmap(Some(5432));
    let web_db = pair(&open, "shop/web", "shop/db").unwrap();
    assert_eq!(web_db.states.tcp, CellState::All);
    assert_eq!(web_db.states.sctp, CellState::None);
    assert_eq!(
        web_db.states.any,
        CellState::Some,
        "UDP and SCTP do not allow it"
    );
    let shut = heatmap(Some(5433));
    assert_eq!(
        pair(&shut, "shop/web", "shop/db").unwrap().states.any,
        CellState::None
    );
}

#[test]
fn ports_read_as_people_write_them() {
    let answer = heatmap(None);
    let web_db = pair(&answer, "shop/web", "shop/db").unwrap();
    let tcp = &web_db.ports;
    assert_eq!(tcp.len(), 1);
    assert_eq!(
        (tcp[0].protocol, tcp[0].text.as_str()),
        ("TCP", "5432, 8080-8090")
    );
    assert_eq!(tcp[0].first, 5432);
    let db_web = pair(&answer, "shop/db", "shop/web").unwrap();
    assert!(db_web.ports.iter().all(|p| p.text == "all ports"));
    assert_eq!(db_web.ports.len(), 3);
}

#[test]
fn external_classes_have_an_address_and_no_pair_between_them() {
    let answer = heatmap(None);
    let external: Vec<&HeatmapEndpoint> = answer
        .endpoints
        .iter()
        .filter(|e| e.endpoint.kind == "External")
        .collect();
    assert!(
        external.len() >= 2,
        "the ipBlock and the rest of the addresses"
    );
    let block = external
        .iter()
        .find(|e| {
            e.endpoint
                .cidrs
                .as_ref()
                .is_some_and(|c| c.contains(&"203.0.113.0/24".into()))
        })
        .unwrap();
    assert_eq!(block.address.as_deref(), Some("203.0.113.1"));
    let pods = answer.endpoints.iter().filter(|e| e.endpoint.kind == "Pod");
    assert!(pods.into_iter().all(|e| e.address.is_none()));
    let is_external = |id: &str| external.iter().any(|e| e.endpoint.id == id);
    assert!(answer
        .pairs
        .iter()
        .all(|p| !(is_external(&p.from) && is_external(&p.to))));
    let web_out = pair(&answer, "shop/web", &block.endpoint.id).unwrap();
    assert_eq!(web_out.ports[0].text, "443");
}

#[test]
fn the_answer_serialises_to_the_javascript_shape() {
    let json = serde_json::to_value(heatmap(Some(5432))).unwrap();
    let web_db = json["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["from"] == "shop/web" && p["to"] == "shop/db")
        .unwrap();
    assert_eq!(
        web_db["states"],
        serde_json::json!({"any": "some", "TCP": "all", "UDP": "none", "SCTP": "none"})
    );
    assert_eq!(
        web_db["ports"][0],
        serde_json::json!({"protocol": "TCP", "text": "5432, 8080-8090", "first": 5432})
    );
    assert!(json["endpoints"][0]["id"].is_string());
}

#[test]
fn port_zero_is_an_error() {
    let workspace = Workspace::load([SourceFile::text("k8s.yaml", MANIFESTS)], Config::default());
    let error = workspace
        .heatmap(&HeatmapFilter { port: Some(0) })
        .unwrap_err();
    assert!(error.message().contains("port 0"));
    assert!(serde_json::from_str::<HeatmapFilter>(r#"{"protocol": "TCP"}"#).is_err());
}

#[test]
fn representative_addresses_of_small_and_v6_ranges() {
    let v4: IpNet = "10.1.2.4/31".parse().unwrap();
    let v6: IpNet = "2001:db8::/64".parse().unwrap();
    let endpoint = |cidr: IpNet| MatrixEndpoint {
        id: alloc::format!("{cidr}"),
        kind: crate::engine::MatrixEndpointKind::External,
        namespace: None,
        name: None,
        ips: Vec::new(),
        cidrs: alloc::vec![cidr],
        endpoint: None,
        labels: None,
        pods: Vec::new(),
    };
    assert_eq!(
        representative_address(&endpoint(v4)),
        Some("10.1.2.4".parse().unwrap())
    );
    assert_eq!(
        representative_address(&endpoint(v6)),
        Some("2001:db8::1".parse().unwrap())
    );
}

#[test]
fn allowed_lists_read_back_as_text() {
    let allowed: Vec<AllowedRanges> = serde_json::from_str(
        r#"[{"protocol": "TCP", "ports": [[8080, 8090], [80, 80]]}, {"protocol": "sctp", "ports": [[1, 65535]]}]"#,
    )
    .unwrap();
    let texts = allowed_texts(&allowed).unwrap();
    assert_eq!(texts.len(), 2);
    assert_eq!(
        (texts[0].protocol, texts[0].text.as_str(), texts[0].first),
        ("TCP", "80, 8080-8090", 80)
    );
    assert_eq!(
        (texts[1].protocol, texts[1].text.as_str()),
        ("SCTP", "all ports")
    );
    let unknown = [AllowedRanges {
        protocol: "ICMP".into(),
        ports: Vec::new(),
    }];
    assert!(allowed_texts(&unknown).is_err());
    assert_eq!(allowed_texts(&[]).unwrap(), Vec::new());
}
