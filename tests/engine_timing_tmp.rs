use netpol::doc::Limits;
use netpol::engine::Engine;
use netpol::source::{Source, SourceSet};
use serde_json::{json, Value};
use std::time::Instant;

fn cluster(namespaces: usize, pods_per_ns: usize, policies_per_ns: usize, unique: bool, apps: usize) -> String {
    let mut items: Vec<Value> = Vec::new();
    items.push(json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kube-system"}}));
    items.push(json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"coredns","namespace":"kube-system","labels":{"k8s-app":"kube-dns"}},
        "spec":{"containers":[{"name":"c","image":"x","ports":[{"name":"dns","containerPort":53,"protocol":"UDP"},{"name":"dns-tcp","containerPort":53}]}]},"status":{"podIP":"10.96.0.10"}}));
    items.push(json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"ctl","namespace":"ingress-nginx","labels":{"app.kubernetes.io/name":"ingress-nginx"}},
        "spec":{"containers":[{"name":"c","image":"x"}]},"status":{"podIP":"10.97.0.10"}}));

    for n in 0..namespaces {
        let ns = format!("ns{n}");
        items.push(json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":ns,"labels":{"team":format!("t{}", n % 7)}}}));
        for p in 0..pods_per_ns {
            let app = p % apps;
            let mut labels =
                json!({"app": format!("app{app}"), "pod-template-hash": format!("h{app}")});
            if unique {
                labels["statefulset.kubernetes.io/pod-name"] = json!(format!("p{p}"));
            }
            let ip = format!("10.{}.{}.{}", 100 + n / 200, n % 200, p + 1);
            items.push(json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":format!("app{app}-{p}"),"namespace":ns,"labels":labels},
                "spec":{"containers":[{"name":"c","image":"x","ports":[{"name":"http","containerPort":8080}]}]},"status":{"podIP":ip}}));
        }
        let pol = |name: String, spec: Value| json!({"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":name,"namespace":ns},"spec":spec});
        items.push(pol(
            "default-deny".into(),
            json!({"podSelector":{},"policyTypes":["Ingress","Egress"]}),
        ));
        items.push(pol("allow-dns".into(), json!({"podSelector":{},"policyTypes":["Egress"],"egress":[{"to":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"kube-system"}},"podSelector":{"matchLabels":{"k8s-app":"kube-dns"}}}],"ports":[{"port":53,"protocol":"UDP"},{"port":53,"protocol":"TCP"}]}]})));
        items.push(pol("from-ingress".into(), json!({"podSelector":{"matchLabels":{"app":"app0"}},"ingress":[{"from":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"ingress-nginx"}}}],"ports":[{"port":"http"}]}]})));
        items.push(pol("egress-web".into(), json!({"podSelector":{"matchLabels":{"app":"app1"}},"policyTypes":["Egress"],"egress":[{"to":[{"ipBlock":{"cidr":"0.0.0.0/0","except":["10.0.0.0/8","169.254.169.254/32"]}}],"ports":[{"port":443}]}]})));
        for k in 0..policies_per_ns.saturating_sub(4) {
            let a = k % apps;
            let b = (k + 1) % apps;
            let spec = if k % 3 == 0 {
                json!({"podSelector":{"matchLabels":{"app":format!("app{b}")}},"ingress":[{"from":[{"namespaceSelector":{"matchLabels":{"team":format!("t{}", k % 7)}},"podSelector":{"matchLabels":{"app":format!("app{a}")}}}],"ports":[{"port":8080},{"port":9000,"endPort":9100}]}]})
            } else {
                json!({"podSelector":{"matchLabels":{"app":format!("app{b}")}},"policyTypes":["Ingress","Egress"],"ingress":[{"from":[{"podSelector":{"matchExpressions":[{"key":"app","operator":"In","values":[format!("app{a}"), format!("app{}", (a+5)%apps)]}]}}],"ports":[{"port":"http"}]}],
                    "egress":[{"to":[{"podSelector":{"matchLabels":{"app":format!("app{a}")}}}],"ports":[{"port":8080,"protocol":"TCP"}]}]})
            };
            items.push(pol(format!("p{k}"), spec));
        }
    }
    serde_json::to_string(&json!({"apiVersion":"v1","kind":"List","items":items})).unwrap()
}

fn run(namespaces: usize, pods: usize, pols: usize, unique: bool, apps: usize) {
    let text = cluster(namespaces, pods, pols, unique, apps);
    let mut s = SourceSet::new();
    s.add(Source::new("gen.json", text));
    let t = Instant::now();
    let loaded = netpol::decode::load(&s, &Limits::default());
    let decode = t.elapsed();
    assert!(
        loaded.diagnostics.is_empty(),
        "{:?}",
        &loaded.diagnostics[..3.min(loaded.diagnostics.len())]
    );
    let m = &loaded.model;
    let t = Instant::now();
    let e = Engine::new(m);
    let index = t.elapsed();
    let t = Instant::now();
    let x = e.matrix();
    let matrix = t.elapsed();
    let conns = if m.pods.len() <= 2000 {
        x.connections().count()
    } else {
        0
    };
    let a = e.resolve("ns0/app0-0").unwrap();
    let b = e.resolve("ns0/app1-1").unwrap();
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..10000 {
        if e.allows(&a, &b, netpol::model::Protocol::Tcp, 8080) {
            n += 1;
        }
    }
    let q = t.elapsed() / 10000;
    let flow = netpol::engine::Flow::new(a, b, netpol::model::Protocol::Tcp, 8080);
    let t = Instant::now();
    for _ in 0..1000 {
        let _ = e.query(&flow);
    }
    let qx = t.elapsed() / 1000;
    println!("pods {} policies {} unique {unique}: decode {decode:?} index {index:?} matrix {matrix:?} classes {} conns {conns} allows {q:?} ({n}) query {qx:?}",
        m.pods.len(), m.policies.len(), x.class_count());
}

#[test]
fn timing() {
    run(100, 100, 20, false, 10);
    run(100, 100, 20, true, 20);
    run(50, 200, 40, true, 40);
}
