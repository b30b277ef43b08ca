//! [`Workspace::synthesize`]: least-privilege NetworkPolicies from observed flows or
//! from the ConnectivityTest cases of the workspace, proved by the engine; and the
//! synthesize JSON.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize, Serializer};

use super::{ApiError, Workspace};
use crate::engine::{representatives, Engine};
use crate::flows::mapping::EndpointIndex;
use crate::flows::replay::connection;
use crate::flows::{read, FlowProblem, Observed};
use crate::model::{Direction, Expectation};
use crate::source::SourceId;
use crate::synthesize::proof::{prove, Proof};
use crate::synthesize::{
    baseline_beyond, cluster_policy, into_baseline, network_policies, plan, render_baseline,
    render_namespace, Groups, Requirement, Requirements,
};

/// What to synthesize from: the flows of a flow file (those observed as
/// forwarded), and/or the `allow`/`deny` cases of the ConnectivityTests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields))]
pub struct SynthesizeRequest {
    /// A flow file's text (Hubble's JSON export, or CSV).
    pub flows: Option<String>,
    /// Use the ConnectivityTest cases of the workspace.
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub tests: bool,
    /// Emit the cluster-wide default deny and DNS allowance as one
    /// ClusterNetworkPolicy in the Baseline tier instead of a `default-deny` and an
    /// `allow-dns` NetworkPolicy per namespace.
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub cluster_baseline: bool,
}

/// The policies of one namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthesizedFile {
    /// The namespace.
    pub namespace: String,
    /// The YAML stream.
    pub yaml: String,
}

/// The answer of a synthesis: the policies per namespace and their proof, or why
/// the requirements cannot be met.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SynthesizeAnswer {
    /// One YAML stream per namespace, in namespace order.
    pub files: Vec<SynthesizedFile>,
    /// The cluster-wide baseline ClusterNetworkPolicy (with `cluster_baseline`).
    pub cluster: Option<String>,
    /// All of them as one stream (the cluster-wide policy first).
    pub stream: String,
    /// What the engine found about them.
    pub proof: Proof,
    /// Why nothing was written: contradictory or inexpressible requirements.
    pub error: Option<String>,
    /// Flows and cases left out (unreadable, unmappable), with their lines.
    pub problems: Vec<FlowProblem>,
}

impl Workspace {
    /// Synthesizes policies for `request` and proves them with the inputs.
    pub fn synthesize(&self, request: &SynthesizeRequest) -> Result<SynthesizeAnswer, ApiError> {
        if request.flows.is_none() && !request.tests {
            return Err(ApiError::new(
                "nothing to synthesize from: give flows, or use the tests",
            ));
        }
        let engine = self.engine();
        let (requirements, problems) = self.requirements(&engine, request);
        let mut answer = SynthesizeAnswer {
            problems,
            ..SynthesizeAnswer::default()
        };
        let groups = Groups::new(&engine);
        let mut planned = match plan(&engine, &groups, &requirements, self.config()) {
            Ok(planned) => planned,
            Err(error) => {
                answer.error = Some(error.message);
                return Ok(answer);
            }
        };
        let baseline = request
            .cluster_baseline
            .then(|| into_baseline(&mut planned, &engine, self.config()));
        let cluster = baseline.as_ref().map(render_baseline);
        let files: Vec<SynthesizedFile> = planned
            .namespaces
            .iter()
            .map(|(namespace, policies)| SynthesizedFile {
                namespace: namespace.clone(),
                yaml: render_namespace(namespace, policies),
            })
            .collect();
        let stream: String = cluster
            .iter()
            .chain(files.iter().map(|f| &f.yaml))
            .map(String::as_str)
            .collect();
        let mut proved = self.loaded().model.clone();
        let source = SourceId(u32::try_from(self.sources().len()).unwrap_or(u32::MAX));
        proved.policies.extend(network_policies(&planned, source));
        if let Some(baseline) = &baseline {
            proved
                .cluster_policies
                .push(cluster_policy(baseline, source));
        }
        let proved = representatives::complete(&proved);
        let after = Engine::new(&proved);
        match prove(&engine, &after, &groups, &requirements, &planned) {
            Ok(mut proof) => {
                if let Some(baseline) = &baseline {
                    proof.beyond.extend(baseline_beyond(
                        [&engine, &after],
                        &groups,
                        &requirements,
                        &planned,
                        baseline,
                    ));
                }
                answer.proof = proof;
                answer.files = files;
                answer.cluster = cluster;
                answer.stream = stream;
            }
            Err(error) => answer.error = Some(error.message),
        }
        Ok(answer)
    }

    /// The flows to allow and deny, and what could not be used.
    fn requirements(
        &self,
        engine: &Engine<'_>,
        request: &SynthesizeRequest,
    ) -> (Requirements, Vec<FlowProblem>) {
        let mut requirements = Requirements::default();
        let mut problems = Vec::new();
        if let Some(text) = &request.flows {
            let log = read(text);
            problems.extend(log.problems.iter().cloned());
            let index = EndpointIndex::new(engine);
            for flow in log
                .flows
                .iter()
                .filter(|f| f.observed == Observed::Forwarded)
            {
                match connection(&index, flow) {
                    Ok(c) => requirements.allow.push(Requirement {
                        from: c.from.endpoint,
                        to: c.to.endpoint,
                        protocol: c.protocol,
                        port: c.port,
                        origin: format!("flow {} (line {})", flow.index, flow.line),
                    }),
                    Err(message) => problems.push(FlowProblem {
                        line: flow.line,
                        message: format!("flow {} left out: {message}", flow.index),
                    }),
                }
            }
        }
        if request.tests {
            for test in &engine.model().tests {
                let source = self.sources().get(test.meta.source);
                for (i, case) in test.cases.iter().enumerate() {
                    let line = source.map_or(0, |s| s.position(case.span.start).line);
                    let label = case.name.clone().unwrap_or_else(|| format!("#{}", i + 1));
                    let origin = format!("test {} case {label}", test.meta.name.value);
                    match engine.flow(
                        &case.from.value,
                        &case.to.value,
                        &case.port.value,
                        case.protocol,
                    ) {
                        Ok(flow) => {
                            let requirement = Requirement {
                                from: flow.from,
                                to: flow.to,
                                protocol: flow.protocol,
                                port: flow.port,
                                origin,
                            };
                            match case.expect.value {
                                Expectation::Allow => requirements.allow.push(requirement),
                                Expectation::Deny => requirements.deny.push(requirement),
                            }
                        }
                        Err(error) => problems.push(FlowProblem {
                            line,
                            message: format!("{origin} left out: {error}"),
                        }),
                    }
                }
            }
        }
        (requirements, problems)
    }
}

/// The synthesize JSON.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "SynthesizeAnswer")
)]
pub(super) struct SynthesizeJson<'a> {
    /// The version of netpol.
    version: &'static str,
    /// One YAML stream per namespace.
    files: Vec<SynthesizedFileJson<'a>>,
    /// The cluster-wide baseline ClusterNetworkPolicy (with `clusterBaseline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    cluster: Option<&'a str>,
    /// The proof.
    proof: ProofJson<'a>,
    /// Why nothing was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    error: Option<&'a str>,
    /// Flows and cases left out.
    problems: Vec<super::replay::FlowProblemJson<'a>>,
}

/// The policies of one namespace.
#[derive(Serialize)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "SynthesizedFile")
)]
pub(super) struct SynthesizedFileJson<'a> {
    /// The namespace.
    namespace: &'a str,
    /// The YAML.
    yaml: &'a str,
}

/// The proof.
#[derive(Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "Proof"))]
pub(super) struct ProofJson<'a> {
    /// Required flows.
    required: usize,
    /// Required flows allowed.
    allowed: usize,
    /// Forbidden flows.
    forbidden: usize,
    /// Forbidden flows denied.
    denied: usize,
    /// What the rules allow beyond the requirements.
    beyond: Vec<BeyondJson<'a>>,
}

/// What one rule allows beyond the requirements.
#[derive(Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "Beyond"))]
pub(super) struct BeyondJson<'a> {
    /// The policy, `ns/name`.
    policy: &'a str,
    /// The rule, `spec.ingress[0]`.
    rule: String,
    /// Its ports, `TCP/8080`.
    ports: &'a [String],
    /// Pairs allowed that no requirement names.
    pairs: usize,
    /// Whether `pairs` is exact (false: a lower bound).
    exact: bool,
    /// One of them.
    example: &'a str,
    /// Why.
    reason: &'a str,
}

impl Serialize for SynthesizeAnswer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SynthesizeJson {
            version: crate::VERSION,
            files: self
                .files
                .iter()
                .map(|f| SynthesizedFileJson {
                    namespace: &f.namespace,
                    yaml: &f.yaml,
                })
                .collect(),
            cluster: self.cluster.as_deref(),
            proof: ProofJson {
                required: self.proof.required,
                allowed: self.proof.allowed,
                forbidden: self.proof.forbidden,
                denied: self.proof.denied,
                beyond: self
                    .proof
                    .beyond
                    .iter()
                    .map(|b| BeyondJson {
                        policy: &b.policy,
                        rule: format!(
                            "spec.{}[{}]",
                            match b.direction {
                                Direction::Ingress => "ingress",
                                Direction::Egress => "egress",
                            },
                            b.rule
                        ),
                        ports: &b.ports,
                        pairs: b.pairs,
                        exact: b.exact,
                        example: &b.example,
                        reason: &b.reason,
                    })
                    .collect(),
            },
            error: self.error.as_deref(),
            problems: self
                .problems
                .iter()
                .map(super::replay::problem_json)
                .collect(),
        }
        .serialize(serializer)
    }
}
