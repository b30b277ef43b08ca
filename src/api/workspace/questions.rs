//! The questions a loaded workspace answers: lint, matrix, query, test and diff.

use alloc::borrow::Cow;
use alloc::format;

use super::{endpoint_id, ObjectFindings, Role, Workspace};
use crate::api::answer::{ApiError, DiffAnswer, LintAnswer, MatrixAnswer, QueryAnswer, TestAnswer};
use crate::api::request::{protocol, FlowRequest, LintOptions, MatrixFilter};
use crate::diff::{diff, DiffOptions, Strategy};
use crate::engine::{representatives, Engine, Grouping};
use crate::lint;
use crate::model::Model;
use crate::report::diff::DiffSources;
use crate::report::{LintReport, SkippedCount, Summary};
use crate::source::SourceId;

impl Workspace {
    /// Validation and best-practice findings, with `options` applied on top of the
    /// workspace's configuration.
    pub fn lint(&self, options: &LintOptions) -> Result<LintAnswer, ApiError> {
        let mut config = self.config.clone();
        for (rule, level) in &options.rules {
            config
                .set_rule(&format!("{rule}={level}"))
                .map_err(ApiError::new)?;
        }
        if let Some(fail_on) = &options.fail_on {
            config.set_fail_on(fail_on).map_err(ApiError::new)?;
        }
        let run = lint::Run::new(&self.combined, &config);
        let mut outcome = match self.object_findings.get() {
            Some(cache) => run.finish(cache.per_source()),
            None => match ObjectFindings::split(run.object_findings(), self.entries.len()) {
                Ok(cache) => {
                    let outcome = run.finish(cache.per_source());
                    // Unset a moment ago, and `lint` does not reenter: it is set now.
                    let _ = self.object_findings.set(cache);
                    outcome
                }
                Err(found) => run.finish(&[found]),
            },
        };
        if options.single_object {
            outcome.diagnostics.retain(lint::decides_alone);
        }
        let summary = Summary {
            files: self.sources.len(),
            objects: self.combined.objects,
            suppressed: outcome.suppressed,
            skipped: SkippedCount::list(&self.combined.skipped_kinds),
            ..Summary::default()
        };
        let fail_on = config.fail_on();
        // The findings take over the diagnostics' texts.
        let mut report = LintReport::new(outcome.diagnostics, &self.sources, summary, fail_on);
        if options.quiet {
            report
                .findings
                .retain(|f| fail_on.is_some_and(|threshold| f.severity >= threshold));
        }
        Ok(LintAnswer { report })
    }

    /// The allowed connections between every pair of endpoints, as far as `filter`
    /// asks.
    pub fn matrix(&self, filter: &MatrixFilter) -> Result<MatrixAnswer, ApiError> {
        self.matrix_with(&self.engine(), filter)
    }

    /// [`Workspace::matrix`] with an index already built by [`Workspace::engine`]
    /// (and kept while the workspace is not edited).
    pub fn matrix_with(
        &self,
        engine: &Engine<'_>,
        filter: &MatrixFilter,
    ) -> Result<MatrixAnswer, ApiError> {
        let protocol = match (&filter.protocol, filter.port) {
            (None, None) => None,
            (text, _) => Some(protocol(text.as_deref())?),
        };
        let grouping = match filter.group.as_deref() {
            None => Grouping::None,
            Some(text) => Grouping::parse(text).ok_or_else(|| {
                ApiError::new(format!("group `{text}` is not one of: owner, none"))
            })?,
        };
        let matrix = engine.matrix().grouped(engine, grouping);
        let from = endpoint_id(engine, &matrix, filter.from.as_deref())?;
        let to = endpoint_id(engine, &matrix, filter.to.as_deref())?;
        Ok(MatrixAnswer {
            matrix,
            from,
            to,
            namespaces: filter.namespace.clone(),
            protocol,
            port: filter.port,
        })
    }

    /// One flow's verdict, explained.
    pub fn query(&self, flow: &FlowRequest) -> Result<QueryAnswer<'_>, ApiError> {
        self.query_with(&self.engine(), flow)
    }

    /// [`Workspace::query`] with an index already built by [`Workspace::engine`].
    pub fn query_with(
        &self,
        engine: &Engine<'_>,
        flow: &FlowRequest,
    ) -> Result<QueryAnswer<'_>, ApiError> {
        let port = flow.port.value()?;
        let protocol = protocol(flow.protocol.as_deref())?;
        let flow = engine
            .flow(&flow.from, &flow.to, &port, protocol)
            .map_err(|e| ApiError::new(format!("{e}")))?;
        Ok(QueryAnswer {
            verdict: engine.query(&flow),
            sources: &self.sources,
        })
    }

    /// The `ConnectivityTest` cases of the sources, run.
    pub fn test(&self) -> TestAnswer<'_> {
        self.test_with(&self.engine())
    }

    /// [`Workspace::test`] with an index already built by [`Workspace::engine`].
    pub fn test_with(&self, engine: &Engine<'_>) -> TestAnswer<'_> {
        TestAnswer {
            report: engine.run_tests(),
            sources: &self.sources,
        }
    }

    /// The connections `head` allows that this workspace (the base) does not, and
    /// the reverse; `grouping` merges the pods of one controller where the diff says
    /// the same about each. Namespaces with policies but no Pods or workloads get the
    /// same representative pods on both sides. Each side follows its own data plane
    /// (`cni`).
    pub fn diff<'w>(&'w self, head: &'w Workspace, grouping: Grouping) -> DiffAnswer<'w> {
        let (base_model, head_model) = (self.diff_model(), head.diff_model());
        let (base_model, head_model) = representatives::complete_pair(&base_model, &head_model);
        let engines = [
            Engine::with_cni(&base_model, self.config.cni),
            Engine::with_cni(&head_model, head.config.cni),
        ];
        let [base_engine, head_engine] = &engines;
        // Two data planes differ everywhere, not only where the sources changed.
        let options = if self.config.cni == head.config.cni {
            DiffOptions::default()
        } else {
            DiffOptions {
                strategy: Strategy::Full,
                ..DiffOptions::default()
            }
        };
        let result =
            diff(base_engine, head_engine, &options).grouped([base_engine, head_engine], grouping);
        DiffAnswer {
            diff: result,
            sources: DiffSources {
                base: &self.sources,
                head: &head.sources,
            },
        }
    }

    /// The model a diff compares: with cluster sources, the own sources'
    /// NetworkPolicies and the cluster's Namespaces, Pods and workloads.
    fn diff_model(&self) -> Cow<'_, Model> {
        if self.entries.iter().all(|e| e.role == Role::Own) {
            return Cow::Borrowed(&self.combined.model);
        }
        let own = |source: SourceId| {
            self.entries
                .get(source.0 as usize)
                .is_some_and(|e| e.role == Role::Own)
        };
        let mut model = self.combined.model.clone();
        model.policies.retain(|p| own(p.meta.source));
        model.namespaces.retain(|n| !own(n.meta.source));
        model.pods.retain(|p| !own(p.meta.source));
        model.workloads.retain(|w| !own(w.meta.source));
        Cow::Owned(model)
    }
}
