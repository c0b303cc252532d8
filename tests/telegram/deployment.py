"""The shipped deployment, run unprivileged: deploy/nginx.conf on a loopback port in a temp
prefix, and workers started with deploy/bot@.service's command and environment."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from tests.ports import until_listening_sync

ROOT = Path(__file__).resolve().parents[2]
NGINX_SITE = ROOT / "deploy" / "nginx.conf"
UNIT = ROOT / "deploy" / "bot@.service"
HOOK_PATH = "/telegram/hook"


def nginx_binary() -> str | None:
    """Debian's nginx, when installed (it lives in /usr/sbin, often not on a user's PATH)."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def unit_service(instance: int) -> tuple[list[str], dict[str, str]]:
    """ExecStart's arguments after the interpreter, and every Environment= of the unit, with
    ``%i`` replaced by the instance (as systemd would)."""
    env: dict[str, str] = {}
    command: list[str] = []
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        line = line.strip().replace("%i", str(instance))
        if line.startswith("Environment="):
            key, _, value = line.removeprefix("Environment=").partition("=")
            env[key] = value
        elif line.startswith("ExecStart="):
            command = shlex.split(line.removeprefix("ExecStart="))[1:]  # after the python
    return command, env


def worker_env(
    instance: int, *, hook: int, web: int, **settings: str
) -> tuple[list[str], dict[str, str]]:
    """A worker started as deploy/bot@.service starts instance ``instance``: the unit's
    command and environment (over this process's, without its CRMBOT_ variables), its ports
    replaced by free ones in the same roles (844N, 808N may be taken on this machine), and
    ``settings`` (CRMBOT_... = value) on top."""
    command, unit_env = unit_service(instance)
    assert command == ["-m", "bot", "run"], command
    assert unit_env["CRMBOT_TELEGRAM__WEBHOOK_PORT"] == f"844{instance}"
    assert unit_env["CRMBOT_WEB__PORT"] == f"808{instance}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMBOT_")}
    env.update(unit_env)
    env.update(CRMBOT_TELEGRAM__WEBHOOK_PORT=str(hook), CRMBOT_WEB__PORT=str(web))
    env.update(settings)
    return command, env


def site_for(worker_ports: list[int], desk_ports: list[int], listen_port: int) -> str:
    """deploy/nginx.conf with its upstreams on the given ports and plain HTTP on loopback
    (the test has no certificate; everything else is the shipped file)."""
    site = NGINX_SITE.read_text(encoding="utf-8")

    def servers(block: str, ports: list[int]) -> None:
        nonlocal site
        match = re.search(r"upstream " + block + r" \{(.*?)\n\}", site, re.S)
        assert match, f"deploy/nginx.conf has no upstream {block}"
        body = match.group(1)
        options = re.search(r"server 127\.0\.0\.1:\d+( [^;]*);", body)
        extra = options.group(1) if options else ""
        kept = [ln for ln in body.splitlines() if not ln.strip().startswith("server ")]
        lines = [f"    server 127.0.0.1:{p}{extra};" for p in ports]
        block_text = f"upstream {block} {{" + "\n".join(kept + lines) + "\n}"
        site = site.replace(match.group(0), block_text)

    servers("crmbot_webhook", worker_ports)
    servers("crmbot_desk", desk_ports)
    site = re.sub(r"listen 443 ssl;", f"listen 127.0.0.1:{listen_port};", site)
    return re.sub(r"\n\s*ssl_certificate(_key)? [^;]*;", "", site)


class Nginx:
    """nginx in the foreground, in a prefix of its own, serving ``site``."""

    def __init__(self, prefix: Path) -> None:
        self.prefix = prefix
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, site: str, port: int) -> None:
        binary = nginx_binary()
        assert binary is not None
        for sub in ("logs", "tmp"):
            (self.prefix / sub).mkdir(parents=True, exist_ok=True)
        (self.prefix / "site.conf").write_text(site, encoding="utf-8")
        user = "user root;\n" if os.getuid() == 0 else ""  # its workers write the temp dirs
        tmp = self.prefix / "tmp"
        (self.prefix / "nginx.conf").write_text(
            f"""{user}worker_processes 1;
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/logs/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {self.prefix}/site.conf;
}}
""",
            encoding="utf-8",
        )
        check = subprocess.run(
            [binary, "-t", "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf")],
            capture_output=True,
            check=False,
        )
        assert check.returncode == 0, check.stderr.decode()
        self.process = subprocess.Popen(
            [
                binary,
                "-p",
                str(self.prefix),
                "-c",
                str(self.prefix / "nginx.conf"),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not until_listening_sync(port):
            raise AssertionError(f"nginx did not listen on {port}: {self.errors()}")

    def errors(self) -> str:
        log = self.prefix / "logs" / "error.log"
        return log.read_text(encoding="utf-8") if log.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
