//! A real browser against the real server: headless Chromium driven through chromedriver,
//! the app served on a loopback port over a fresh database. On failure the journey leaves a
//! screenshot and the page source under target/browser-artifacts/.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, anyhow, ensure};
use fantoccini::{Client, ClientBuilder, Locator};
use gospublic::config::Settings;
use gospublic::state::AppState;
use serde_json::json;
use sqlx::PgPool;

const AXE: &str = include_str!("vendor/axe.min.js");

pub struct Browser {
    pub client: Client,
    pub base: String,
    driver: Child,
    profile: PathBuf,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

impl Browser {
    /// Serves the app over `db` on a loopback port and opens a fresh headless Chromium.
    pub async fn start(db: PgPool) -> anyhow::Result<Browser> {
        Self::start_with(db, Settings::for_tests()).await
    }

    /// The same with these settings, and the workers `serve` runs beside the pages: the one
    /// that files platforms' events and the one that delivers answers.
    pub async fn start_with(db: PgPool, settings: Settings) -> anyhow::Result<Browser> {
        let settings = Settings {
            secure_cookies: false,
            ..settings
        };
        let state = AppState::new(db.clone(), settings.clone());
        let apis = gospublic::channels::apis::Apis::new(settings.apis.clone());
        let namer = gospublic::channels::names::Namer {
            apis: apis.clone(),
            key: settings.secret_key.clone(),
        };
        gospublic::channels::intake::spawn(db.clone(), state.events_arrived.clone(), namer);
        gospublic::channels::delivery::spawn(
            db,
            apis,
            settings.secret_key.clone(),
            state.answers_published.clone(),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let app = gospublic::app(state).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, app).await });

        let chromedriver = find_program(&["chromedriver"])
            .context("chromedriver is not installed: `apt-get install chromium chromium-driver` (.ci/run does this)")?;
        let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"])
            .context("chromium is not installed")?;
        let port = free_port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting chromedriver")?;
        let profile = std::env::temp_dir().join(format!("gospublic-chrome-{port}"));
        let webdriver = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-quic", "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut last_error = None;
        for _ in 0..3 {
            match ClientBuilder::new(connector.clone())
                .capabilities(caps.clone())
                .connect(&webdriver)
                .await
            {
                Ok(client) => {
                    return Ok(Browser {
                        client,
                        base,
                        driver,
                        profile,
                    });
                }
                Err(e) => {
                    last_error = Some(e);
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
            }
        }
        Err(anyhow!("cannot open a Chromium session: {last_error:?}"))
    }

    pub async fn visit(&self, path: &str) -> anyhow::Result<()> {
        self.client.goto(&format!("{}{path}", self.base)).await?;
        Ok(())
    }

    pub async fn path(&self) -> anyhow::Result<String> {
        let url = self.client.current_url().await?;
        Ok(match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        })
    }

    pub async fn text(&self) -> anyhow::Result<String> {
        Ok(self.client.find(Locator::Css("body")).await?.text().await?)
    }

    pub async fn expect_text(&self, fragment: &str) -> anyhow::Result<()> {
        let text = self.text().await?;
        ensure!(
            text.contains(fragment),
            "expected {fragment:?} on {} in:\n{text}",
            self.path().await?
        );
        Ok(())
    }

    pub async fn fill(&self, name: &str, value: &str) -> anyhow::Result<()> {
        let field = self
            .client
            .find(Locator::Css(&format!("main [name=\"{name}\"]")))
            .await
            .with_context(|| format!("field {name}"))?;
        field.clear().await?;
        field.send_keys(value).await?;
        Ok(())
    }

    /// Sets a field's value as a paste from another program would, characters no key types
    /// included.
    pub async fn paste(&self, name: &str, value: &str) -> anyhow::Result<()> {
        self.client
            .execute(
                "document.querySelector('main [name=\"' + arguments[0] + '\"]').value = arguments[1]; return true;",
                vec![json!(name), json!(value)],
            )
            .await?;
        Ok(())
    }

    pub async fn value_of(&self, name: &str) -> anyhow::Result<String> {
        let field = self
            .client
            .find(Locator::Css(&format!("main [name=\"{name}\"]")))
            .await?;
        Ok(field.prop("value").await?.unwrap_or_default())
    }

    pub async fn choose(&self, name: &str, value: &str) -> anyhow::Result<()> {
        let field = self
            .client
            .find(Locator::Css(&format!("main select[name=\"{name}\"]")))
            .await?;
        field.select_by_value(value).await?;
        Ok(())
    }

    /// Clicks and waits until the next page has replaced this one: the old page's body
    /// goes stale, then the new page's footer appears.
    async fn click_and_wait(&self, element: fantoccini::elements::Element) -> anyhow::Result<()> {
        let old_body = self.client.find(Locator::Css("body")).await?;
        element.click().await?;
        for _ in 0..200 {
            if old_body.tag_name().await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.client
            .wait()
            .for_element(Locator::Css("footer.site-footer"))
            .await?;
        Ok(())
    }

    /// Clicks the main form's submit button and waits for the next page.
    pub async fn submit(&self) -> anyhow::Result<()> {
        let button = self
            .client
            .find(Locator::Css(
                "main form[method=\"post\"] button[type=\"submit\"]",
            ))
            .await?;
        self.click_and_wait(button).await
    }

    /// Fills the field a CSS selector names (for pages with several forms).
    pub async fn fill_at(&self, css: &str, value: &str) -> anyhow::Result<()> {
        let field = self
            .client
            .find(Locator::Css(css))
            .await
            .with_context(|| format!("field {css}"))?;
        field.clear().await?;
        field.send_keys(value).await?;
        Ok(())
    }

    pub async fn choose_at(&self, css: &str, value: &str) -> anyhow::Result<()> {
        let field = self
            .client
            .find(Locator::Css(css))
            .await
            .with_context(|| format!("select {css}"))?;
        field.select_by_value(value).await?;
        Ok(())
    }

    /// Clicks the button with this text and waits for the next page.
    pub async fn press(&self, text: &str) -> anyhow::Result<()> {
        let button = self
            .client
            .find(Locator::XPath(&format!(
                "//main//button[normalize-space(.)='{text}']"
            )))
            .await
            .with_context(|| format!("button {text:?}"))?;
        self.click_and_wait(button).await
    }

    /// Clicks an element without leaving the page (a radio button, a disclosure).
    pub async fn click_at(&self, css: &str) -> anyhow::Result<()> {
        self.client
            .find(Locator::Css(css))
            .await
            .with_context(|| format!("element {css}"))?
            .click()
            .await?;
        Ok(())
    }

    pub async fn click_link(&self, text: &str) -> anyhow::Result<()> {
        let link = self
            .client
            .find(Locator::LinkText(text))
            .await
            .with_context(|| format!("link {text:?}"))?;
        self.click_and_wait(link).await
    }

    /// Resizes the window; `innerWidth` follows in headless Chromium.
    pub async fn resize(&self, width: u32, height: u32) -> anyhow::Result<()> {
        self.client.set_window_size(width, height).await?;
        Ok(())
    }

    /// (document width, viewport width): the page scrolls sideways when the first is larger.
    pub async fn widths(&self) -> anyhow::Result<(i64, i64)> {
        let v = self
            .client
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await?;
        let [scroll, inner]: [i64; 2] = serde_json::from_value(v)?;
        Ok((scroll, inner))
    }

    /// (top of the element, viewport height), in CSS pixels from the top of the page.
    pub async fn top_of(&self, css: &str) -> anyhow::Result<(f64, f64)> {
        let v = self
            .client
            .execute(
                "const e = document.querySelector(arguments[0]); return e ? [e.getBoundingClientRect().top + window.scrollY, window.innerHeight] : null;",
                vec![json!(css)],
            )
            .await?;
        let found: Option<[f64; 2]> = serde_json::from_value(v)?;
        let [top, height] = found.with_context(|| format!("no element {css}"))?;
        Ok((top, height))
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> anyhow::Result<()> {
        self.visit("/login").await?;
        self.fill("email", email).await?;
        self.fill("password", password).await?;
        self.submit().await
    }

    pub async fn sign_out(&self) -> anyhow::Result<()> {
        let button = self
            .client
            .find(Locator::Css("form[action=\"/logout\"] button"))
            .await?;
        self.click_and_wait(button).await
    }
    /// Runs axe-core on the current page; serious and critical violations fail the journey.
    pub async fn check_accessibility(&self) -> anyhow::Result<()> {
        self.client
            .execute(&format!("{AXE}\n;return true;"), vec![])
            .await
            .context("injecting axe-core")?;
        let result = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(document, { resultTypes: ['violations'] })
                      .then(r => done(r.violations
                          .filter(v => v.impact === 'serious' || v.impact === 'critical')
                          .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                      .catch(e => done(['axe failed: ' + e]));"#,
                vec![],
            )
            .await?;
        let violations: Vec<String> = serde_json::from_value(result)?;
        ensure!(
            violations.is_empty(),
            "accessibility violations on {}:\n{}",
            self.path().await?,
            violations.join("\n")
        );
        Ok(())
    }

    /// Saves what the browser shows, for a failed journey.
    pub async fn save_artifacts(&self, name: &str) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser-artifacts");
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
        if let Ok(html) = self.client.source().await {
            let _ = std::fs::write(dir.join(format!("{name}.html")), html);
        }
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

/// Runs a journey; on failure keeps a screenshot and the page, then fails the test.
pub async fn journey<F>(db: PgPool, name: &str, body: F)
where
    F: AsyncFnOnce(&Browser) -> anyhow::Result<()>,
{
    journey_with(db, Settings::for_tests(), name, body).await
}

/// A journey on a server with these settings.
pub async fn journey_with<F>(db: PgPool, settings: Settings, name: &str, body: F)
where
    F: AsyncFnOnce(&Browser) -> anyhow::Result<()>,
{
    let browser = Browser::start_with(db, settings).await.expect("browser");
    let outcome = body(&browser).await;
    if let Err(e) = &outcome {
        browser.save_artifacts(name).await;
        let path = browser.path().await.unwrap_or_default();
        browser.close().await;
        panic!(
            "journey {name} failed at {path}: {e:#}\n(screenshot: target/browser-artifacts/{name}.png)"
        );
    }
    browser.close().await;
}
