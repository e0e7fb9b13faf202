"""Generate a deterministic corpus of realistic tech-blog posts for the benchmark.

    python bench/generate.py N OUTDIR [--seed S]

Writes N files OUTDIR/<slug>.md with YAML front matter (title, date, description, category,
tags, slug, sometimes draft / updated / series / featured) and a Markdown body of 300-4,000
prose words (mean about 1,500) made of ``##`` sections, paragraphs, bullet lists, fenced code,
inline code, links and images. The same N and seed always give byte-identical files. The output
is valid for Hugo as well as postctl. Standard library only; 10,000 posts take a few seconds.

Speed comes from building pools of sentences, list items and code blocks once, then assembling
each post from pool picks (a post is ~100 ``rng.choice`` calls, not ~1,500).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

# --------------------------------------------------------------------------- vocabulary

# fmt: off
# category → (weight, technologies, topics, tags)
CATEGORIES: dict[str, tuple[int, list[str], list[str], list[str]]] = {
    "Performance": (
        16,
        ["Redis", "PostgreSQL", "Nginx", "the JVM", "Node.js", "CPython", "Go", "Rust"],
        ["p99 latency", "cache stampedes", "memory allocation", "flame graphs",
         "tail latency", "cold starts", "GC pauses", "hot paths", "connection pooling"],
        ["performance", "latency", "profiling", "caching", "benchmarks", "memory", "redis"],
    ),
    "Databases": (
        12,
        ["PostgreSQL", "MySQL", "SQLite", "MongoDB", "Cassandra", "ClickHouse", "DynamoDB"],
        ["indexes", "query plans", "replication", "schema migrations", "vacuum",
         "partitioning", "isolation levels", "deadlocks", "write amplification"],
        ["postgresql", "sql", "sqlite", "mysql", "indexing", "replication", "migrations"],
    ),
    "DevOps": (
        11,
        ["Kubernetes", "Terraform", "Ansible", "GitHub Actions", "Docker", "Helm", "ArgoCD"],
        ["zero-downtime deploys", "rollbacks", "CI pipelines", "blue-green releases",
         "secrets management", "on-call rotations", "observability", "runbooks"],
        ["kubernetes", "docker", "terraform", "ci-cd", "observability", "sre", "helm"],
    ),
    "Python": (
        10,
        ["asyncio", "Django", "FastAPI", "pandas", "pytest", "mypy", "Pydantic", "uv"],
        ["type hints", "packaging", "the GIL", "generators", "dataclasses",
         "virtual environments", "async I/O", "import time", "C extensions"],
        ["python", "asyncio", "django", "fastapi", "typing", "packaging", "pytest"],
    ),
    "Go": (
        8,
        ["Go", "goroutines", "gRPC", "the Go scheduler", "pprof", "sqlc", "Gin"],
        ["channels", "generics", "error handling", "context cancellation", "escape analysis",
         "interfaces", "module versioning", "the race detector"],
        ["golang", "concurrency", "grpc", "generics", "goroutines"],
    ),
    "Security": (
        7,
        ["OAuth 2.0", "JWT", "TLS", "OpenSSH", "Vault", "CSP headers", "WebAuthn"],
        ["supply-chain attacks", "secret rotation", "SQL injection", "threat modeling",
         "least privilege", "session fixation", "dependency audits", "CVE triage"],
        ["security", "oauth", "tls", "authentication", "secrets", "owasp"],
    ),
    "Frontend": (
        8,
        ["React", "Vue", "Svelte", "TypeScript", "Vite", "CSS Grid", "Web Components"],
        ["hydration", "bundle size", "accessibility", "state management", "Core Web Vitals",
         "server components", "design systems", "form validation"],
        ["javascript", "typescript", "react", "css", "accessibility", "webpack"],
    ),
    "Career": (
        5,
        ["code review", "pair programming", "tech talks", "RFCs", "one-on-ones"],
        ["promotions", "interviewing", "burnout", "mentoring", "writing design docs",
         "switching teams", "estimating work", "saying no"],
        ["career", "leadership", "interviewing", "mentoring", "productivity"],
    ),
    "Architecture": (
        9,
        ["Kafka", "RabbitMQ", "event sourcing", "microservices", "a modular monolith",
         "GraphQL", "REST APIs"],
        ["bounded contexts", "idempotency", "backpressure", "eventual consistency",
         "API versioning", "the outbox pattern", "sagas", "rate limiting"],
        ["architecture", "microservices", "kafka", "distributed-systems", "api-design",
         "event-driven"],
    ),
    "Testing": (
        6,
        ["pytest", "Playwright", "Hypothesis", "testcontainers", "Jest", "k6"],
        ["flaky tests", "property-based testing", "contract tests", "mutation testing",
         "test pyramids", "snapshot tests", "load testing", "fixtures"],
        ["testing", "tdd", "property-testing", "integration-tests", "load-testing"],
    ),
    "Cloud": (
        7,
        ["AWS Lambda", "S3", "Cloud Run", "EKS", "CloudFront", "Azure Functions", "Fargate"],
        ["cost optimisation", "cold starts", "IAM policies", "multi-region failover",
         "egress bills", "autoscaling", "spot instances", "serverless limits"],
        ["aws", "gcp", "azure", "serverless", "cost", "cloud-native"],
    ),
    "Data": (
        6,
        ["Spark", "Airflow", "dbt", "DuckDB", "Parquet", "BigQuery", "Flink"],
        ["data pipelines", "late-arriving events", "schema evolution", "backfills",
         "data quality", "streaming joins", "slowly changing dimensions", "lineage"],
        ["data-engineering", "spark", "airflow", "dbt", "analytics", "etl"],
    ),
}

GENERAL_TAGS = [
    "debugging", "production", "war-story", "tutorial", "best-practices", "open-source",
    "linux", "networking", "devtools", "monitoring", "scalability", "refactoring",
]

SERIES = [
    "Postgres in Production", "Scaling Python", "Kubernetes the Boring Way",
    "Latency Diaries", "Go From Zero", "Security Basics", "Data Engineering 101",
]

ADJ = ["practical", "complete", "pragmatic", "hidden", "surprising", "modern", "boring",
       "hard", "real-world", "minimal", "honest", "definitive", "quick", "deep", "subtle"]
NOUNS = ["service", "queue", "cache", "worker", "pipeline", "cluster", "endpoint", "job",
         "deploy", "index", "dashboard", "client", "request", "replica", "migration", "config",
         "alert", "schema", "test suite", "batch", "process", "thread pool", "load balancer"]
VERBS_PAST = ["dropped", "doubled", "spiked", "recovered", "stalled", "degraded", "settled",
              "halved", "improved", "regressed", "broke", "timed out", "flapped", "failed"]
VERBS = ["measure", "profile", "rewrite", "cache", "shard", "retry", "batch", "trace",
         "throttle", "split", "instrument", "simplify", "pin", "benchmark", "replace"]
ADVERBS = ["quietly", "suddenly", "gradually", "predictably", "immediately", "reliably",
           "finally", "barely", "consistently", "eventually"]
METRICS = ["p99 latency", "CPU usage", "error rate", "throughput", "memory", "queue depth",
           "build time", "cold-start time", "cost per request", "page weight"]
PEOPLE = ["the on-call engineer", "our team", "the platform team", "a new hire", "the reviewer",
          "the database team", "our SRE", "the product manager", "everyone"]
IDENTS = ["max_connections", "statement_timeout", "GOMAXPROCS", "work_mem", "pool_size",
          "retry_after", "keepalive_timeout", "shared_buffers", "maxmemory-policy",
          "batch_size", "read_timeout", "PYTHONHASHSEED", "replicas", "requests.cpu"]
HEADINGS = [
    "Why {topic} matter", "What we measured", "The root cause", "How {tech} handles {topic}",
    "A minimal example", "Reproducing the problem", "The fix", "What we tried first",
    "Trade-offs", "When not to use {tech}", "Measuring {metric}", "Lessons learned",
    "Putting it into production", "Common mistakes", "Going further", "The numbers",
    "Setting up {tech}", "Debugging {topic}", "Rolling it out", "Monitoring {metric}",
    "Background", "Results", "A checklist", "Wrapping up", "Further reading",
]
TITLES = [
    "{Topic} in {tech}: A {Adj} Guide",
    "How We Cut {metric} by {pct}% with {tech}",
    "The {Adj} Truth About {topic}",
    "{n} Lessons From Running {tech} in Production",
    "Debugging {topic} in {tech}: A War Story",
    "Understanding {topic} With {tech}",
    "{tech} vs {tech2}: Which One for {topic}?",
    "A {Adj} Introduction to {topic}",
    "Why Our {noun} {verb_past} (and How We Fixed It)",
    "{topic}: What Nobody Tells You",
    "Stop Getting {topic} Wrong in {tech}",
    "From Zero to {tech}: {topic} in {year}",
    "{n} {Adj} Tips for {topic}",
    "Inside {tech}: How {topic} Really Works",
    "What {n} Years of {tech} Taught Me About {topic}",
    "The {Adj} Checklist for {topic} in {tech}",
    "When {tech} Is the Wrong Answer",
    "Migrating to {tech} Without Downtime",
    "Designing for {topic}",
    "{tech} {year}: {Topic} Revisited",
]
SENTENCES = [
    "The {noun} {verb_past} {adv} after we changed how {tech} handles {topic}.",
    "We started by trying to {verb} the {noun}, which turned out to be the wrong first step.",
    "{Person} noticed that {metric} {verb_past} every time the {noun} restarted.",
    "It is tempting to {verb} everything, but {topic} punishes that instinct.",
    "In practice, {tech} gives you enough rope to get {topic} right or badly wrong.",
    "Our first guess was the {noun}; the graphs said otherwise.",
    "Setting `{ident}` to a saner value took {metric} from {n1} ms to {n2} ms.",
    "The {adj} part is not the code but the {noun} around it.",
    "If you only remember one thing, {verb} before you {verb2}.",
    "We measured {metric} for a week before touching anything.",
    "A {adj} fix would have been to {verb} the {noun}, and we considered it.",
    "Most teams meet {topic} the first time a {noun} {verb_past} at 3 a.m.",
    "The documentation for [{tech}](https://example.com/docs/{slug}) covers this, briefly.",
    "Nothing here is specific to {tech}; the same reasoning applies to any {noun}.",
    "That one change {adv} removed the need to {verb} the {noun} by hand.",
    "You can see the effect in the `{ident}` metric, which {verb_past} within minutes.",
    "There are {n1} ways to {verb} a {noun}, and {n3} of them are wrong for {topic}.",
    "{Person} wrote a short script to {verb} the {noun} and compare the results.",
    "We kept the old {noun} running beside the new one for {n3} weeks.",
    "The trade-off is more moving parts in exchange for predictable {metric}.",
    "This is where {topic} stops being theory and starts costing money.",
    "See [our earlier post on {topic}](/posts/{slug}/) for the background.",
    "The {noun} is {adj}, and that is exactly why it kept failing under load.",
    "Once `{ident}` was right, {metric} {verb_past} and stayed there.",
    "It took {n3} attempts, a whiteboard and one very long afternoon.",
    "We {verb_past2} the {noun} twice before admitting the problem was {topic}.",
    "Read the release notes of {tech} carefully; the defaults changed in a minor version.",
    "No benchmark survives contact with production traffic unchanged.",
    "The rest of this post walks through what we changed and why.",
    "Here is the part that surprised us most: {metric} barely moved.",
]
LIST_ITEMS = [
    "{Verb} the {noun} before anything else", "Watch {metric}, not averages",
    "Keep `{ident}` under version control", "Set alerts on {metric}",
    "Write down why you changed `{ident}`", "Test {topic} in staging with real data",
    "Prefer a {adj} {noun} over a clever one", "Document the rollback path",
    "Budget time to {verb} after the launch", "Read how {tech} handles {topic}",
    "Automate the {noun} checks", "Review `{ident}` after every upgrade",
]
IMAGE_ALTS = ["Latency before and after", "Architecture overview", "Flame graph of the hot path",
              "Dashboard during the incident", "Sequence diagram", "Throughput over a week",
              "Query plan", "Deployment pipeline"]
DESCRIPTIONS = [
    "A {adj} look at {topic} with {tech}: what we measured, what broke and what we changed.",
    "How {topic} bit us in production, and the {n3} changes that fixed it for good.",
    "Everything we learned about {topic} after {n3} years of running {tech}.",
    "A step-by-step guide to {topic} in {tech}, with code you can copy.",
    "Why {metric} {verb_past}, how we traced it to {topic}, and what we would do differently.",
]
CODE = {
    "python": [
        "import {mod}\n\n\ndef {fn}({arg}: int = {n1}) -> list[str]:\n"
        "    \"\"\"Return the {noun} names.\"\"\"\n"
        "    result = []\n    for i in range({arg}):\n        result.append(f\"{noun}-{{i}}\")\n"
        "    return result\n",
        "async def {fn}(client, {arg}):\n    async with client.session() as s:\n"
        "        resp = await s.get(\"/api/{slug}\", timeout={n3})\n"
        "        resp.raise_for_status()\n        return resp.json()[\"{arg}\"]\n",
        "@dataclass\nclass {Cls}:\n    {arg}: int = {n1}\n    name: str = \"{noun}\"\n\n"
        "    def {fn}(self) -> bool:\n        return self.{arg} > {n3}\n",
    ],
    "go": [
        "func {Fn}(ctx context.Context, {arg} int) error {{\n"
        "\tctx, cancel := context.WithTimeout(ctx, {n3}*time.Second)\n\tdefer cancel()\n"
        "\tif err := do{Cls}(ctx, {arg}); err != nil {{\n"
        "\t\treturn fmt.Errorf(\"{fn}: %w\", err)\n\t}}\n\treturn nil\n}}\n",
        "type {Cls} struct {{\n\tmu    sync.Mutex\n\t{arg} map[string]int\n}}\n\n"
        "func (c *{Cls}) {Fn}(key string) int {{\n\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n"
        "\treturn c.{arg}[key]\n}}\n",
    ],
    "sql": [
        "EXPLAIN ANALYZE\nSELECT {arg}, count(*)\nFROM {tbl}\nWHERE created_at > now() - "
        "interval '{n3} days'\nGROUP BY {arg}\nORDER BY count(*) DESC\nLIMIT {n1};\n",
        "CREATE INDEX CONCURRENTLY idx_{tbl}_{arg}\n    ON {tbl} ({arg}, created_at);\n",
    ],
    "bash": [
        "kubectl -n {slug} rollout status deploy/{fn} --timeout={n1}s\n"
        "kubectl -n {slug} logs -l app={fn} --since=10m | grep -c ERROR\n",
        "for i in $(seq 1 {n3}); do\n  curl -s -o /dev/null -w '%{{time_total}}\\n' "
        "https://example.com/{slug}\ndone | sort -n | tail -1\n",
    ],
    "yaml": [
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {fn}\nspec:\n"
        "  replicas: {n3}\n  template:\n    spec:\n      containers:\n        - name: {fn}\n"
        "          resources:\n            limits:\n              memory: {n1}Mi\n",
    ],
    "javascript": [
        "export async function {fn}({arg}) {{\n"
        "  const res = await fetch(`/api/{slug}/${{{arg}}}`);\n"
        "  if (!res.ok) throw new Error(`{fn} failed: ${{res.status}}`);\n"
        "  return res.json();\n}}\n",
    ],
}
MODS = ["time", "json", "asyncio", "itertools", "functools", "sqlite3", "logging", "re"]
FNS = ["fetch_all", "warm_cache", "retry_call", "load_batch", "flush", "drain", "rebalance",
       "collect", "resolve", "handle"]
ARGS = ["limit", "retries", "workers", "batch", "timeout", "shard", "offset", "window"]
TABLES = ["orders", "events", "users", "sessions", "payments", "jobs", "audit_log"]
ZONES = ["Z", "+00:00", "+01:00", "+02:00", "-05:00", "-08:00", "+05:30", "+09:00", "-03:00"]

DATE_START = dt.date(2015, 1, 1)
DATE_END = dt.date(2026, 9, 30)
MIN_WORDS, MAX_WORDS = 300, 4000
# fmt: on


# --------------------------------------------------------------------------- pools


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _title_case(s: str) -> str:
    small = {"a", "an", "and", "the", "of", "in", "to", "for", "with", "on", "vs", "by"}
    words = s.split(" ")
    out = [
        w if (i and w.lower() in small) or not w[:1].islower() else _cap(w)
        for i, w in enumerate(words)
    ]
    return " ".join(out)


_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    return _SLUG_STRIP.sub("-", text.lower()).strip("-")[:80].rstrip("-")


@dataclass
class Pools:
    """Pre-rendered text snippets per category: (text, prose word count)."""

    sentences: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    items: dict[str, list[str]] = field(default_factory=dict)
    headings: dict[str, list[str]] = field(default_factory=dict)
    code: list[str] = field(default_factory=list)


class Filler:
    """Fills ``{slot}`` templates from the word lists with one RNG."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def fill(
        self, template: str, category: str, tech: str | None = None, topic: str | None = None
    ) -> str:
        """Fill one template; pass ``tech``/``topic`` to keep a post's title and description
        about the same thing."""
        rng = self.rng
        _, techs, topics, _ = CATEGORIES[category]
        tech = tech or rng.choice(techs)
        topic = topic or rng.choice(topics)
        values = {
            "tech": tech,
            "tech2": rng.choice([t for t in techs if t != tech] or techs),
            "topic": topic,
            "Topic": _cap(topic),
            "adj": rng.choice(ADJ),
            "Adj": _cap(rng.choice(ADJ)),
            "noun": rng.choice(NOUNS),
            "verb": rng.choice(VERBS),
            "Verb": _cap(rng.choice(VERBS)),
            "verb2": rng.choice(VERBS),
            "verb_past": rng.choice(VERBS_PAST),
            "verb_past2": rng.choice(["rewrote", "restarted", "resized", "reverted", "tuned"]),
            "adv": rng.choice(ADVERBS),
            "metric": rng.choice(METRICS),
            "Person": _cap(rng.choice(PEOPLE)),
            "ident": rng.choice(IDENTS),
            "slug": slugify(topic),
            "n": str(rng.randint(3, 12)),
            "n1": str(rng.randint(10, 900)),
            "n2": str(rng.randint(2, 90)),
            "n3": str(rng.randint(2, 9)),
            "pct": str(rng.choice([30, 40, 50, 60, 70, 80, 90, 95])),
            "year": str(rng.randint(2016, 2026)),
        }
        return template.format(**values)

    def code_block(self) -> str:
        rng = self.rng
        lang = rng.choice(list(CODE))
        fn = rng.choice(FNS)
        values = {
            "mod": rng.choice(MODS),
            "fn": fn,
            "Fn": "".join(_cap(p) for p in fn.split("_")),
            "Cls": rng.choice(["Pool", "Cache", "Batcher", "Limiter", "Client", "Worker"]),
            "arg": rng.choice(ARGS),
            "tbl": rng.choice(TABLES),
            "noun": rng.choice(NOUNS).replace(" ", "_"),
            "slug": rng.choice(["orders", "search", "checkout", "feed", "billing"]),
            "n1": str(rng.randint(10, 900)),
            "n3": str(rng.randint(2, 9)),
        }
        return f"```{lang}\n{rng.choice(CODE[lang]).format(**values)}```"


def build_pools(rng: random.Random) -> Pools:
    filler = Filler(rng)
    pools = Pools()
    for cat in CATEGORIES:
        sents = [filler.fill(rng.choice(SENTENCES), cat) for _ in range(700)]
        pools.sentences[cat] = [(s, len(s.split())) for s in sents]
        pools.items[cat] = [filler.fill(rng.choice(LIST_ITEMS), cat) for _ in range(150)]
        pools.headings[cat] = [filler.fill(rng.choice(HEADINGS), cat) for _ in range(120)]
    pools.code = [filler.code_block() for _ in range(400)]
    return pools


# --------------------------------------------------------------------------- one post


@dataclass
class CorpusStats:
    posts: int = 0
    bytes: int = 0
    words: int = 0
    drafts: int = 0
    categories: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def most_common_category(self) -> str:
        return self.categories.most_common(1)[0][0]

    def to_json(self) -> dict[str, object]:
        return {
            "posts": self.posts,
            "bytes": self.bytes,
            "words": self.words,
            "drafts": self.drafts,
            "categories": dict(self.categories.most_common()),
            "seconds": round(self.seconds, 3),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> CorpusStats:
        cats = data["categories"]
        assert isinstance(cats, dict)
        return cls(
            posts=int(str(data["posts"])),
            bytes=int(str(data["bytes"])),
            words=int(str(data["words"])),
            drafts=int(str(data["drafts"])),
            categories=Counter({str(k): int(v) for k, v in cats.items()}),
            seconds=float(str(data.get("seconds", 0.0))),
        )


def _q(s: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def _date(rng: random.Random) -> tuple[str, dt.date]:
    span = (DATE_END - DATE_START).days
    day = DATE_START + dt.timedelta(days=rng.randrange(span + 1))
    r = rng.random()
    if r < 0.50:
        return day.isoformat(), day
    if r < 0.60:
        return _q(day.isoformat()), day
    stamp = f"{day.isoformat()}T{rng.randrange(6, 23):02d}:{rng.choice((0, 15, 30, 45)):02d}:00"
    return stamp + rng.choice(ZONES), day


def _word_target(rng: random.Random) -> int:
    # Log-normal: median ~1,300, mean ~1,500 after clipping to [300, 4000].
    # The target stops 150 short of the cap: a post overshoots it by up to one paragraph.
    raw = int(rng.lognormvariate(math.log(1330), 0.52))
    return max(MIN_WORDS, min(MAX_WORDS - 150, raw))


def _body(rng: random.Random, pools: Pools, cat: str, slug: str, target: int) -> tuple[str, int]:
    sents = pools.sentences[cat]
    items = pools.items[cat]
    heads = pools.headings[cat]
    parts: list[str] = []
    words = 0

    def paragraph(lo: int, hi: int) -> None:
        nonlocal words
        picked = rng.choices(sents, k=rng.randint(lo, hi))
        parts.append(" ".join(s for s, _ in picked))
        words += sum(n for _, n in picked)

    paragraph(3, 6)
    images = 0
    while words < target:
        heading = rng.choice(heads)
        parts.append("## " + heading)
        words += len(heading.split())
        for _ in range(rng.randint(1, 4)):
            paragraph(2, 7)
            r = rng.random()
            if r < 0.18:
                lst = rng.sample(items, rng.randint(3, 6))
                parts.append("\n".join("- " + i for i in lst))
                words += sum(len(i.split()) for i in lst)
            elif r < 0.36:
                parts.append(rng.choice(pools.code))
            elif r < 0.42:
                images += 1
                alt = rng.choice(IMAGE_ALTS)
                parts.append(f"![{alt}](images/{slug}-{images}.png)")
                words += len(alt.split())
            elif r < 0.45:
                sub = rng.choice(heads)
                parts.append("### " + sub)
                words += len(sub.split())
            if words >= target:
                break
    return "\n\n".join(parts) + "\n", words


def render_post(
    rng: random.Random,
    pools: Pools,
    filler: Filler,
    cats: Sequence[str],
    weights: Sequence[int],
    used: set[str],
) -> tuple[str, str, str, bool, int]:
    """Return (slug, text, category, draft, prose words) for one post."""
    cat = rng.choices(cats, weights)[0]
    _, techs, topics, cat_tags = CATEGORIES[cat]
    tech, topic = rng.choice(techs), rng.choice(topics)
    title = _title_case(filler.fill(rng.choice(TITLES), cat, tech, topic))
    base = slugify(title) or "post"
    slug, k = base, 2
    while slug in used:
        slug, k = f"{base}-{k}", k + 1
    used.add(slug)

    date_text, day = _date(rng)
    n_tags = rng.randint(2, 6)
    n_own = min(len(cat_tags), max(1, n_tags - rng.randint(0, 2)))
    tags = rng.sample(cat_tags, n_own)
    tags += [t for t in rng.sample(GENERAL_TAGS, n_tags) if t not in tags][: n_tags - n_own]

    fm = ["---", f"title: {_q(title)}", f"date: {date_text}"]
    if rng.random() < 0.15:
        later = day + dt.timedelta(days=rng.randint(1, 700))
        fm.append(f"updated: {min(later, DATE_END).isoformat()}")
    description = filler.fill(rng.choice(DESCRIPTIONS), cat, tech, topic)
    fm.append(f"description: {_q(description)}")
    fm.append(f"category: {_q(cat)}")
    if rng.random() < 0.5:
        fm.append("tags: [" + ", ".join(_q(t) for t in tags) + "]")
    else:
        fm.append("tags:\n" + "\n".join(f"  - {t}" for t in tags))
    r = rng.random()
    draft = r < 0.05
    if draft:
        fm.append("draft: true")
    elif r < 0.15:
        fm.append("draft: false")
    if rng.random() < 0.8:
        fm.append(f"slug: {_q(slug)}")
    if rng.random() < 0.08:
        fm.append(f"series: {_q(rng.choice(SERIES))}")
    if rng.random() < 0.05:
        fm.append("featured: true")
    fm.append("---")
    body, words = _body(rng, pools, cat, slug, _word_target(rng))
    return slug, "\n".join(fm) + "\n\n" + body, cat, draft, words


# --------------------------------------------------------------------------- corpus


def generate(n: int, outdir: Path, seed: int = 42) -> CorpusStats:
    """Write ``n`` posts into ``outdir`` (created if needed); the same seed gives the same bytes."""
    t0 = time.perf_counter()
    rng = random.Random(seed)
    pools = build_pools(rng)
    filler = Filler(rng)
    cats = list(CATEGORIES)
    weights = [CATEGORIES[c][0] for c in cats]
    outdir.mkdir(parents=True, exist_ok=True)
    stats = CorpusStats()
    used: set[str] = set()
    base = os.fspath(outdir)
    for _ in range(n):
        slug, text, cat, draft, words = render_post(rng, pools, filler, cats, weights, used)
        data = text.encode("utf-8")
        with open(os.path.join(base, slug + ".md"), "wb") as fh:
            fh.write(data)
        stats.posts += 1
        stats.bytes += len(data)
        stats.words += words
        stats.drafts += draft
        stats.categories[cat] += 1
    stats.seconds = time.perf_counter() - t0
    return stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("n", type=int, help="number of posts")
    ap.add_argument("outdir", type=Path, help="folder to write <slug>.md files into")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")
    stats = generate(args.n, args.outdir, args.seed)
    print(
        f"wrote {stats.posts:,} posts to {args.outdir} "
        f"({stats.bytes / 1e6:.1f} MB, {stats.words:,} words, "
        f"mean {stats.words // stats.posts:,} words, {stats.drafts} drafts) "
        f"in {stats.seconds:.2f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
