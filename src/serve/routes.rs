//! The endpoints: which path takes which method, and its label in the metrics.

/// One endpoint of the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `POST /validate`: the admission webhook.
    Validate,
    /// `POST /gatekeeper/provider`: the Gatekeeper external data provider.
    GatekeeperProvider,
    /// `POST /v1/lint`.
    Lint,
    /// `POST /v1/matrix`.
    Matrix,
    /// `POST /v1/query`.
    Query,
    /// `GET /healthz`: the process answers.
    Healthz,
    /// `GET /readyz`: the process takes requests (not while draining).
    Readyz,
    /// `GET /metrics`: Prometheus text.
    Metrics,
}

/// The metrics label of a path that is not an endpoint.
pub const OTHER_PATH: &str = "other";

impl Endpoint {
    /// Every endpoint.
    pub const ALL: [Endpoint; 8] = [
        Endpoint::Validate,
        Endpoint::GatekeeperProvider,
        Endpoint::Lint,
        Endpoint::Matrix,
        Endpoint::Query,
        Endpoint::Healthz,
        Endpoint::Readyz,
        Endpoint::Metrics,
    ];

    /// The endpoint at `path`.
    pub fn find(path: &str) -> Option<Endpoint> {
        Endpoint::ALL.into_iter().find(|e| e.path() == path)
    }

    /// Its path (also its metrics label).
    pub const fn path(self) -> &'static str {
        match self {
            Endpoint::Validate => "/validate",
            Endpoint::GatekeeperProvider => "/gatekeeper/provider",
            Endpoint::Lint => "/v1/lint",
            Endpoint::Matrix => "/v1/matrix",
            Endpoint::Query => "/v1/query",
            Endpoint::Healthz => "/healthz",
            Endpoint::Readyz => "/readyz",
            Endpoint::Metrics => "/metrics",
        }
    }

    /// The one method it takes: `POST` for the analyses, `GET` for the rest.
    pub const fn method(self) -> &'static str {
        match self {
            Endpoint::Healthz | Endpoint::Readyz | Endpoint::Metrics => "GET",
            _ => "POST",
        }
    }

    /// Whether it reads a body and runs engine work.
    pub const fn analyses(self) -> bool {
        matches!(self.method().as_bytes(), b"POST")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_find_their_endpoint_and_others_none() {
        for endpoint in Endpoint::ALL {
            assert_eq!(Endpoint::find(endpoint.path()), Some(endpoint));
        }
        assert_eq!(Endpoint::find("/validate/"), None);
        assert_eq!(Endpoint::find("/"), None);
    }

    #[test]
    fn analyses_are_posts() {
        assert!(Endpoint::Validate.analyses());
        assert!(!Endpoint::Metrics.analyses());
        assert_eq!(Endpoint::Readyz.method(), "GET");
    }
}
