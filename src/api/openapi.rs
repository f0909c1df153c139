//! The API's OpenAPI 3.1 document, derived from the handlers and their types, served at
//! `/api/openapi.json`; `/api/docs` reads it for people.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{figures, questions, registry};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "gospublic API",
        version = "1",
        description = "Questions and the registry of a region's official pages, for the region's other systems. Every call carries a token a region's admin made on «Доступ по API»: `Authorization: Bearer gp_…`. Every error is JSON: `{\"error\": {\"code\", \"message\", \"fields\"}}`."
    ),
    paths(
        questions::create,
        questions::show,
        questions::list,
        registry::organizations,
        registry::pages,
        figures::upload,
        figures::read
    ),
    modifiers(&Token),
    tags(
        (name = "questions", description = "Questions handed in and what became of them"),
        (name = "registry", description = "The region's organizations and their official pages"),
        (name = "figures", description = "Pages' weekly figures: followers, posts, views, reactions")
    )
)]
pub struct ApiDoc;

struct Token;

impl Modify for Token {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A token from «Доступ по API» (gp_…)"))
                    .build(),
            ),
        );
    }
}

/// The document as JSON.
pub fn document() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()
}

pub async fn json() -> axum::Json<serde_json::Value> {
    axum::Json(document())
}
