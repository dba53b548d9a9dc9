"""The search engine for development and tests: an embedded OpenSearch node.

``services/opensearch`` is a small Java launcher (an OpenSearch 2.19 ``Node`` with the
Netty HTTP transport and the common analysis module on its classpath) built with Maven
into ``services/opensearch/target``. ``start()`` builds it if missing, starts it as a
child JVM bound to 127.0.0.1 (a free port unless one is given), waits until it answers
and returns its URL; the node stops with ``stop()``, or by itself when this process
ends (it watches its standard input). ``OCOP_OPENSEARCH_URL`` (an OpenSearch or an
Elasticsearch 7.x server) is used instead when set.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
SERVICE = ROOT / "services" / "opensearch"
JAR = SERVICE / "target" / "ocop-opensearch.jar"
LIB = SERVICE / "target" / "lib"
DEFAULT_HOME = ROOT / ".devdata" / "opensearch"
MAIN_CLASS = "vn.ocop.search.EmbeddedNode"
# Two cores shared with the web server, the database and the tests: a modest heap.
HEAP = os.environ.get("OCOP_OPENSEARCH_HEAP", "512m")
START_TIMEOUT_SECONDS = 180


def java() -> str:
    """Java 17 (OpenSearch 2.19 runs on 17; JAVA_HOME wins when set)."""
    home = os.environ.get("JAVA_HOME") or "/usr/lib/jvm/java-17-openjdk-amd64"
    candidate = Path(home) / "bin" / "java"
    return str(candidate) if candidate.exists() else (shutil.which("java") or "java")


def built() -> bool:
    if not (JAR.exists() and LIB.is_dir()):
        return False
    sources = [SERVICE / "pom.xml", *SERVICE.glob("src/**/*.java")]
    return JAR.stat().st_mtime >= max(p.stat().st_mtime for p in sources)


def build() -> None:
    """``mvn package`` (offline first: after the first download nothing is fetched)."""
    if built():
        return
    command = ["mvn", "-q", "-B", "package", "-DskipTests"]
    started = time.monotonic()
    if subprocess.run([*command, "-o"], cwd=SERVICE, capture_output=True).returncode != 0:
        subprocess.run(command, cwd=SERVICE, check=True)
    logger.info("Built the OpenSearch launcher in %.0f s", time.monotonic() - started)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str, timeout: float = 1.0) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.loads(response.read())
    except (OSError, ValueError):
        return None


@dataclass
class Engine:
    url: str
    process: subprocess.Popen | None = None
    started_in_seconds: float = 0.0

    def stop(self) -> None:
        """Stop the node this process started (an external URL is left alone)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start(home: Path | None = None, port: int | None = None) -> Engine:
    """The engine to use: ``OCOP_OPENSEARCH_URL`` when set, else a node started now."""
    external = os.environ.get("OCOP_OPENSEARCH_URL")
    if external:
        return Engine(url=external.rstrip("/"))
    build()
    home = Path(home or DEFAULT_HOME)
    home.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(home / "node.log", "ab")  # noqa: SIM115 (the child writes it while it runs)
    classpath = os.pathsep.join([str(JAR), str(LIB / "*")])
    started = time.monotonic()
    process = subprocess.Popen(
        [
            java(),
            f"-Xms{min(HEAP, '256m', key=_megabytes)}",
            f"-Xmx{HEAP}",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dlog4j2.disable.jmx=true",
            "-cp",
            classpath,
            MAIN_CLASS,
            str(home),
            str(port),
        ],
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = started + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"OpenSearch stopped at start; see {home / 'node.log'}")
        health = answers(f"{url}/_cluster/health?wait_for_status=yellow&timeout=1s")
        if health and health.get("status") in {"green", "yellow"}:
            engine = Engine(url=url, process=process)
            engine.started_in_seconds = time.monotonic() - started
            return engine
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"OpenSearch did not answer in {START_TIMEOUT_SECONDS} s")


def _megabytes(size: str) -> int:
    size = size.lower()
    factor = {"g": 1024, "m": 1, "k": 1 / 1024}.get(size[-1], 1 / (1024 * 1024))
    return int(float(size.rstrip("gmk")) * factor)
