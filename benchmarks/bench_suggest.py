"""How fast a suggestion answers with a large knowledge base: server time and keystroke to list.

    .venv/bin/python benchmarks/bench_suggest.py [--articles 1000] [--no-browser]

Self-contained (throw-away SQLite). Imports the guide, then adds synthetic articles (system × symptom ×
wording, with bodies of steps) until the knowledge base holds --articles published articles, and
replays the blind reports (benchmarks/eval/reports.jsonl) through:
  server   POST /api/v1/kb/suggest as a signed-in reporter (Django's test client: view, matcher, JSON);
           p50/p95/p99 in ms. Bar: p95 ≤ 30 ms at 1,000 articles.
  quality  FAQ hit@3 of the same answers against the guide's labels: the guide's articles still come first
           among 1,000. (Its false-alarm line counts any synthetic article shown, and those are written to
           match these systems' faults, so it is an upper bound, not the blind figure of bench_matcher.)
  browser  the intake form (/tickets/new/) in headless Chromium at 375 px: the time from the input event
           to the rendered list (the page's own performance.now() figure, data-rendered-ms, which includes
           the form's 150 ms debounce), for 20 typed reports that have an article. Bar: p95 ≤ 300 ms.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.pop("DATABASE_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "fankui.settings_test"
os.environ["FANKUI_DATA_DIR"] = tempfile.mkdtemp(prefix="fankui-suggest-")
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REPORTS = ROOT / "benchmarks" / "eval" / "reports.jsonl"

SYMPTOMS = ["打不开", "登录失败", "导出报错", "数据不同步", "页面白屏", "提交后没反应", "附件上传失败", "打印格式乱了",
            "消息提醒收不到", "审批节点卡住", "查询很慢", "权限不足", "二维码失效", "金额显示不对", "统计口径不一致"]
WORDINGS = ["怎么办", "的处理方法", "排查步骤", "常见原因", "自助处理指引"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def add_articles(total: int) -> int:
    from fankui.directory.models import System
    from fankui.kb.models import Article

    systems = list(System.objects.values_list("name", flat=True))
    have = Article.objects.count()
    made = []
    n = 0
    while have + len(made) < total:
        system, symptom, wording = systems[n % len(systems)], SYMPTOMS[(n // len(systems)) % len(SYMPTOMS)], WORDINGS[n % len(WORDINGS)]
        made.append(Article(
            slug=f"bench-{n}", title=f"{system}{symptom}{wording}", tags=[system, symptom], position=1000 + n,
            body=f"{system}出现{symptom}时：1. 先退出重新登录，确认网络正常；2. 清除缓存后重试；3. 仍不行请截图，"
                 f"写明项目和操作步骤，联系大区系统实施顾问。编号 {n}。",
        ))
        n += 1
    Article.objects.bulk_create(made)
    return Article.objects.count()


def server_times(rows: list[dict]) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_user("bench-suggest", password="bench-suggest-pw-1")
    client = Client()
    client.force_login(user)
    client.post("/api/v1/kb/suggest", {"text": "预热"}, content_type="application/json")
    timings, hit, faq, alarm, nofaq = [], 0, 0, 0, 0
    for row in rows:
        started = time.perf_counter()
        response = client.post("/api/v1/kb/suggest", {"text": row["text"]}, content_type="application/json")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
        slugs = [item["slug"] for item in response.json()][:3]
        if row["expect"].get("faq"):
            faq += 1
            hit += row["expect"]["faq"] in slugs
        else:
            nofaq += 1
            alarm += bool(slugs)
    print(f"  server   POST /api/v1/kb/suggest  {len(rows)} reports  p50 {percentile(timings, .5):.1f} ms  "
          f"p95 {percentile(timings, .95):.1f} ms  p99 {percentile(timings, .99):.1f} ms")
    print(f"  quality  FAQ hit@3 {hit}/{faq} = {hit / faq:.3f}  false alarms {alarm}/{nofaq} = {alarm / nofaq:.3f}")


def browser_times(rows: list[dict]) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from playwright.sync_api import sync_playwright

    from fankui.accounts.models import Profile
    from fankui.accounts.services import set_profile
    from fankui.conftest import CHROMIUM, CHROMIUM_ARGS, login
    from fankui.directory.models import Region

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    user = get_user_model().objects.create_user("bench-typist", password="bench-typist-pw-1")
    set_profile(user, role=Profile.Role.REPORTER, region=Region.objects.first(), project="翠湖花园")
    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(StaticFilesHandler(WSGIHandler()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    typed = [row["text"][:24] for row in rows if row["expect"].get("faq")][:20]
    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN").new_page()
        login(page, base, "bench-typist", "bench-typist-pw-1")
        page.goto(f"{base}/tickets/new/")
        box, description = page.locator("#suggestions"), page.locator("textarea[name=description]")
        for text in typed:
            description.fill("")
            page.wait_for_function("() => !document.querySelector('#suggestions li')")
            page.evaluate("document.getElementById('suggestions').removeAttribute('data-rendered-ms')")
            description.press_sequentially(text, delay=40)
            try:
                page.wait_for_function("() => document.querySelector('#suggestions li') && "
                                       "document.getElementById('suggestions').dataset.renderedMs", timeout=3000)
            except Exception:  # no article for this text: nothing rendered, nothing to time
                continue
            page.wait_for_timeout(400)  # let the last keystroke's answer land
            timings.append(float(box.get_attribute("data-rendered-ms")))
        browser.close()
    server.shutdown()
    if timings:
        print(f"  browser  keystroke to list, {len(timings)} typed reports at 375 px  p50 {percentile(timings, .5):.0f} ms  "
              f"p95 {percentile(timings, .95):.0f} ms (includes the 150 ms debounce)")


def main() -> None:
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)  # the throw-away server's 404 for /favicon.ico
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("import-guide", "--summary", stdout=open(os.devnull, "w"))
    target = int(sys.argv[sys.argv.index("--articles") + 1]) if "--articles" in sys.argv else 1000
    total = add_articles(target)
    rows = [json.loads(line) for line in REPORTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"== {total} published articles, {REPORTS.name}")
    server_times(rows)
    if "--no-browser" not in sys.argv:
        browser_times(rows)


if __name__ == "__main__":
    main()
