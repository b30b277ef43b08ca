use super::*;

const POLICY: &str = r#"{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
  "metadata": {"name": "p", "namespace": "shop"},
  "spec": {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"ports": [{"port": 0}]}]}}"#;

const CLEAN: &str = r#"{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
  "metadata": {"name": "deny", "namespace": "shop"},
  "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}"#;

fn json(answer: &Answer) -> Value {
    serde_json::from_str(&answer.body).unwrap()
}

#[test]
fn validate_answers_the_review_with_its_uid() {
    let review = format!(
        r#"{{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": {{"uid": "u1", "object": {POLICY}}}}}"#
    );
    let answer = validate(review.as_bytes(), &Config::default());
    assert_eq!(answer.status, 200);
    let value = json(&answer);
    assert_eq!(value["response"]["uid"], "u1");
    assert_eq!(value["response"]["allowed"], false);
    assert_eq!(value["kind"], "AdmissionReview");
}

#[test]
fn validate_refuses_what_is_not_a_review() {
    for body in [&b""[..], b"{", b"[]", b"{\"request\": 1}", b"\xff\xfe"] {
        let answer = validate(body, &Config::default());
        assert_eq!(answer.status, 400, "{body:?}");
        assert!(json(&answer)["error"].is_string());
    }
}

#[test]
fn the_provider_answers_each_key() {
    let request = json!({
        "apiVersion": PROVIDER_API_VERSION,
        "kind": "ProviderRequest",
        "request": {"keys": [POLICY, CLEAN, "not json", "[1]"]},
    });
    let answer = gatekeeper_provider(request.to_string().as_bytes(), &Config::default());
    assert_eq!(answer.status, 200);
    let value = json(&answer);
    assert_eq!(value["kind"], "ProviderResponse");
    assert_eq!(value["response"]["systemError"], "");
    assert_eq!(value["response"]["idempotent"], true);
    let items = value["response"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[0]["key"], POLICY);
    assert!(!items[0]["value"].as_array().unwrap().is_empty());
    assert!(items[0]["value"][0]["msg"]
        .as_str()
        .unwrap()
        .starts_with('['));
    assert_eq!(items[1]["value"], json!([]));
    assert!(items[1].get("error").is_none());
    assert!(items[2]["error"].as_str().unwrap().contains("invalid JSON"));
    assert!(items[3]["error"]
        .as_str()
        .unwrap()
        .contains("Kubernetes object"));
}

#[test]
fn the_provider_refuses_other_requests() {
    for body in [
        r#"{"request": {}}"#,
        r#"{"request": {"keys": [1]}}"#,
        r#"{"kind": "Other", "request": {"keys": []}}"#,
        r#"{"apiVersion": "v9", "request": {"keys": []}}"#,
    ] {
        assert_eq!(
            gatekeeper_provider(body.as_bytes(), &Config::default()).status,
            400,
            "{body}"
        );
    }
}

#[test]
fn lint_reads_yaml_json_and_arrays() {
    let yaml = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: a}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{ports: [{port: 0}]}]\n";
    let from_yaml = json(&lint(yaml.as_bytes(), &Config::default()));
    assert!(!from_yaml["findings"].as_array().unwrap().is_empty());
    assert!(from_yaml["findings"][0]["line"].as_u64().unwrap() > 0);
    let array = format!("[{POLICY}]");
    let from_array = lint(array.as_bytes(), &Config::default());
    assert_eq!(from_array.status, 200);
    assert!(!json(&from_array)["findings"].as_array().unwrap().is_empty());
    assert_eq!(lint(b"  \n", &Config::default()).status, 400);
}

#[test]
fn lint_reports_unreadable_yaml_as_a_finding() {
    let answer = lint(b"kind: [unclosed\n", &Config::default());
    assert_eq!(answer.status, 200);
    assert!(!json(&answer)["findings"].as_array().unwrap().is_empty());
}

#[test]
fn matrix_and_query_answer_and_refuse() {
    let pods =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\n";
    let matrix_body = json!({"manifests": pods}).to_string();
    let answer = matrix(matrix_body.as_bytes(), &Config::default());
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(json(&answer)["endpoints"].is_array());
    let query_body = json!({"manifests": pods,
        "flow": {"from": "shop/web", "to": "203.0.113.7", "port": 443}})
    .to_string();
    let answer = query(query_body.as_bytes(), &Config::default());
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(json(&answer)["allowed"], true);
    let unknown = json!({"manifests": pods,
        "flow": {"from": "shop/nobody", "to": "shop/web", "port": 80}})
    .to_string();
    assert_eq!(query(unknown.as_bytes(), &Config::default()).status, 400);
    for bad in [
        r#"{"manifests": 1}"#,
        r#"{"flow": {}}"#,
        r#"{"manifests": "", "extra": 1}"#,
        "nope",
    ] {
        assert_eq!(
            matrix(bad.as_bytes(), &Config::default()).status,
            400,
            "{bad}"
        );
        assert_eq!(
            query(bad.as_bytes(), &Config::default()).status,
            400,
            "{bad}"
        );
    }
}
