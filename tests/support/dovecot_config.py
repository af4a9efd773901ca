"""The dovecot.conf of a throwaway test server, and the TLS certificate it serves."""

from __future__ import annotations

import grp
import os
import pwd
import subprocess
from dataclasses import dataclass
from pathlib import Path

DH_FILE = Path("/usr/share/dovecot/dh.pem")


@dataclass(frozen=True)
class Identity:
    """Who the server's processes run as. Dovecot refuses root for its login and mail
    processes, so a root test run uses Debian's `dovecot`/`dovenull` system users; an
    unprivileged run uses the current user for everything."""

    internal_user: str
    internal_group: str
    login_user: str
    mail_uid: int
    mail_gid: int

    @classmethod
    def current(cls) -> Identity:
        if os.geteuid() == 0:
            mail = pwd.getpwnam("dovecot")
            return cls("dovecot", grp.getgrgid(mail.pw_gid).gr_name, "dovenull",
                       mail.pw_uid, mail.pw_gid)  # fmt: skip
        me = pwd.getpwuid(os.geteuid())
        group = grp.getgrgid(os.getegid()).gr_name
        return cls(me.pw_name, group, me.pw_name, me.pw_uid, os.getegid())


def make_certificate(root: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost/127.0.0.1 (also the CA clients trust)."""
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def render(root: Path, who: Identity, *, port: int, tls_port: int, tokeninfo_url: str) -> Path:
    """Write dovecot.conf and the oauth2 passdb config under `root`; return the former."""
    oauth = root / "oauth2.conf.ext"
    oauth.write_text(
        f"tokeninfo_url = {tokeninfo_url}\n"
        "introspection_mode = get\nusername_attribute = email\nusername_format = %u\n"
    )
    dh = f"ssl_dh = <{DH_FILE}\n" if DH_FILE.exists() else ""
    conf = root / "dovecot.conf"
    conf.write_text(f"""\
base_dir = {root}/run
state_dir = {root}/state
instance_name = supajobs-test-{port}
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
{dh}disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
auth_failure_delay = 0
default_internal_user = {who.internal_user}
default_internal_group = {who.internal_group}
default_login_user = {who.login_user}
first_valid_uid = {min(who.mail_uid, 500)}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/users/%n
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2
  args = {oauth}
}}
userdb {{
  driver = static
  args = uid={who.mail_uid} gid={who.mail_gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {tls_port}
    ssl = yes
  }}
  chroot =
}}
service anvil {{
  chroot =
  # No auth penalty: after a test's deliberate bad password, every later login from
  # 127.0.0.1 would otherwise wait 2-15 s (Dovecot's documented way to turn it off).
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
""")
    return conf
