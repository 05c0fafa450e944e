"""Config: lookup, substitution, every problem at once, channel on/off, paths, the secret, masking."""

from __future__ import annotations

import datetime as dt
import logging
import re
import stat
from pathlib import Path

import pytest

from bot.config import ConfigError, channel_status, find_config_path, load_config, resolve_secret
from bot.config.channel_sections import MATRIX_KEYS, TELEGRAM_KEYS
from bot.config.secret import SECRET_FILE_NAME
from bot.config.sections import BOT_KEYS, IDEAS_KEYS, REMINDER_KEYS, STORAGE_KEYS

REPO = Path(__file__).resolve().parent.parent
SECRET = "s3cr3t-value-for-tests-only"


def _write(folder: Path, text: str, name: str = "config.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path, environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ or {})
    return [str(p) for p in caught.value.problems]


def _one(problems: list[str], place: str) -> str:
    found = [p for p in problems if f": {place}: " in p]
    assert len(found) == 1, (place, problems)
    return found[0]


# --- the example and the lookup -------------------------------------------------------------


def test_example_config_loads_without_any_secret() -> None:
    config = load_config(REPO / "config.example.toml", {})
    assert config.bot.languages == ("de", "en") and config.bot.default_language == "de"
    assert config.bot.surveys == (REPO / "examples" / "surveys",)
    assert config.storage.url == f"sqlite:///{REPO / 'mitwirken.db'}"
    assert config.storage.secret == "" and config.storage.is_sqlite
    assert config.bot.zone.key == "Europe/Berlin"
    status = {name: (on, reason) for name, on, reason in channel_status(config, stdin_is_tty=True)}
    assert status["telegram"] == (False, "off: channels.telegram.token is empty (set TELEGRAM_BOT_TOKEN)")
    assert status["matrix"][0] is False and "set MATRIX_HOMESERVER" in status["matrix"][1]
    assert status["terminal"][0] is True
    assert status["web"] == (True, "on: http://127.0.0.1:8080/")


def test_example_config_shows_every_key() -> None:
    """Staff learn the keys from the example: each one the program reads is set there or shown in a comment."""
    text = (REPO / "config.example.toml").read_text(encoding="utf-8")
    sections = {
        "bot": BOT_KEYS,
        "storage": STORAGE_KEYS,
        "reminders": REMINDER_KEYS,
        "ideas": IDEAS_KEYS,
        "channels.telegram": TELEGRAM_KEYS,
        "channels.matrix": MATRIX_KEYS,
        "channels.terminal": ("enabled",),
    }
    for section, keys in sections.items():
        body = text.split(f"[{section}]\n", 1)[1].split("\n[", 1)[0]
        missing = [
            k
            for k in keys
            if not re.search(rf"^(?:\s*|#.*\b){k} = ", body, re.MULTILINE) and f"[{section}.{k}]" not in text
        ]
        assert not missing, (section, missing)


def test_example_config_turns_channels_on_from_the_environment() -> None:
    environ = {"TELEGRAM_BOT_TOKEN": "123:abc", "MATRIX_HOMESERVER": "https://matrix.example.org",
               "MATRIX_PASSWORD": "pw", "MITWIRKEN_SECRET": SECRET}  # fmt: skip
    config = load_config(REPO / "config.example.toml", environ)
    status = {name: on for name, on, _ in channel_status(config, stdin_is_tty=True)}
    assert status == {"telegram": True, "matrix": True, "terminal": False, "web": True}
    assert config.channels.telegram.token == "123:abc" and config.storage.secret == SECRET


def test_lookup_order(tmp_path: Path) -> None:
    example = _write(tmp_path, "", "config.example.toml")
    assert find_config_path(None, {}, tmp_path) == example
    local = _write(tmp_path, "", "config.toml")
    assert find_config_path(None, {}, tmp_path) == local
    other = _write(tmp_path, "", "other.toml")
    assert find_config_path(None, {"MITWIRKEN_CONFIG": str(other)}, tmp_path) == other
    given = _write(tmp_path, "", "given.toml")
    assert find_config_path("given.toml", {"MITWIRKEN_CONFIG": str(other)}, tmp_path) == given


def test_lookup_failures_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--config"):
        find_config_path(None, {}, tmp_path)
    with pytest.raises(ConfigError, match=r"missing\.toml: config file not found \(given with --config\)"):
        find_config_path("missing.toml", {}, tmp_path)
    with pytest.raises(ConfigError, match=r"from \$MITWIRKEN_CONFIG"):
        find_config_path(None, {"MITWIRKEN_CONFIG": "nope.toml"}, tmp_path)


# --- substitution ---------------------------------------------------------------------------


def test_environment_substitution_and_escape(tmp_path: Path) -> None:
    path = _write(tmp_path, '[bot]\nname = "${CITY} ${PART}: $${NOT_A_VARIABLE} costs $5"\n')
    config = load_config(path, {"CITY": "Dortmund", "PART": "Hörde"})
    assert config.bot.name == "Dortmund Hörde: ${NOT_A_VARIABLE} costs $5"


def test_a_missing_variable_is_empty_and_turns_an_auto_channel_off(tmp_path: Path) -> None:
    path = _write(tmp_path, '[channels.telegram]\ntoken = "${TG_TOKEN}"\n')
    config = load_config(path, {})
    assert config.channels.telegram.token == "" and not config.channels.telegram.on
    assert channel_status(config, stdin_is_tty=False)[0] == (
        "telegram",
        False,
        "off: channels.telegram.token is empty (set TG_TOKEN)",
    )


def test_broken_references_are_problems(tmp_path: Path) -> None:
    problems = _problems(_write(tmp_path, '[bot]\nname = "${UNCLOSED"\nconsent_version = "${NOT VALID}"\n'))
    assert "is not closed" in _one(problems, "bot.name")
    assert "is not a variable name" in _one(problems, "bot.consent_version")


# --- problems -------------------------------------------------------------------------------


def test_unknown_keys_get_a_did_you_mean_at_every_level(tmp_path: Path) -> None:
    text = '[bott]\nname = "x"\n[bot]\nlanguage = ["de"]\n[channels.telegram]\ntokn = "x"\n[channels.matrx]\n'
    problems = _problems(_write(tmp_path, text))
    assert _one(problems, "bott").endswith("unknown key 'bott' — did you mean 'bot'?")
    assert _one(problems, "bot.language").endswith("did you mean 'languages'?")
    assert _one(problems, "channels.telegram.tokn").endswith("did you mean 'token'?")
    assert _one(problems, "channels.matrx").endswith("did you mean 'matrix'?")
    assert _one(problems, "channels.telegram.tokn").startswith(f"{tmp_path / 'config.toml'}:6: ")


def test_several_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = """\
[bot]
languages = ["DE", "de-x-simple", "english"]
timezone = "Europe/Berln"
staff = ["telegam:1", "telegram:abc", "matrix:@alice:example.org", "terminal:anna"]
[storage]
retention_days = 0
secret = "short"
[reminders]
quiet_hours = "22 bis 7"
max_per_week = -1
"""
    problems = _problems(_write(tmp_path, text))
    assert "write it in lower case: 'de'" in _one(problems, "bot.languages[1]")
    assert "'english' is not a language code" in _one(problems, "bot.languages[3]")
    assert "did you mean 'Europe/Berlin'?" in _one(problems, "bot.timezone")
    assert "did you mean 'telegram'?" in _one(problems, "bot.staff[1]")
    assert "telegram:123456789" in _one(problems, "bot.staff[2]")
    assert "at least 1" in _one(problems, "storage.retention_days")
    assert "shorter than 16" in _one(problems, "storage.secret")
    assert "HH:MM-HH:MM" in _one(problems, "reminders.quiet_hours")
    assert "at least 0" in _one(problems, "reminders.max_per_week")
    assert len(problems) == 9


def test_a_language_without_bot_sentences_is_an_error(tmp_path: Path) -> None:
    """Offering Persian without a Persian catalog would answer Persian speakers in German."""
    spoken = '"de", "en-gb", "de-x-simple", "tr", "ar", "uk", "pl"'
    problems = _problems(_write(tmp_path, f'[bot]\nlanguages = [{spoken}, "fa"]\n'))
    assert len(problems) == 1
    problem = _one(problems, "bot.languages[8]")
    assert "the bot has no sentences in 'fa' yet" in problem and "'ar', 'uk', 'pl'" in problem


def test_type_errors_name_the_key_and_the_expected_type(tmp_path: Path) -> None:
    text = """\
bot = "Mitwirken"
[storage]
retention_days = "730"
max_photo_mb = true
[channels.telegram]
max_per_second = "fast"
[channels.matrix]
polls = "yes"
allowed_servers = ["example.org", 7]
"""
    problems = _problems(_write(tmp_path, text))
    assert "must be a table, not text" in _one(problems, "bot")
    assert "must be a whole number, not text" in _one(problems, "storage.retention_days")
    assert "must be a number, not true/false" in _one(problems, "storage.max_photo_mb")
    assert "must be a number, not text" in _one(problems, "channels.telegram.max_per_second")
    assert "must be true or false, not text" in _one(problems, "channels.matrix.polls")
    assert "must be text, not a number" in _one(problems, "channels.matrix.allowed_servers[2]")


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, '[bot]\nname = "Mitwirken"\nlanguages = ["de",\n  "en" oops]\n')
    (problem,) = _problems(path)
    assert problem.startswith(f"{path}:4:8: TOML syntax error")


@pytest.mark.parametrize("enabled", ["auto", "true"])
def test_webhook_mode_needs_its_keys(tmp_path: Path, enabled: str) -> None:
    value = '"auto"' if enabled == "auto" else "true"
    text = (
        f'[channels.telegram]\nenabled = {value}\ntoken = "1:a"\nmode = "webhook"\nwebhook_url = "https://x.org/tg"\n'
    )
    problems = _problems(_write(tmp_path, text))
    assert 'needed with mode = "webhook"' in _one(problems, "channels.telegram.webhook_listen")
    assert 'needed with mode = "webhook"' in _one(problems, "channels.telegram.webhook_secret")
    assert len(problems) == 2


def test_webhook_mode_with_its_keys(tmp_path: Path) -> None:
    text = """\
[channels.telegram]
token = "1:a"
mode = "webhook"
webhook_listen = "127.0.0.1:8443"
webhook_url = "https://bot.example.org/telegram"
webhook_secret = "${HOOK_SECRET}"
"""
    path = _write(tmp_path, text)
    telegram = load_config(path, {"HOOK_SECRET": "abc-123_X"}).channels.telegram
    assert telegram.on and telegram.listen_host_port == ("127.0.0.1", 8443)
    off = load_config(path, {}).channels.telegram
    assert off.missing == ("channels.telegram.webhook_secret is empty (set HOOK_SECRET)",)


def test_bad_webhook_values(tmp_path: Path) -> None:
    text = """\
[channels.telegram]
token = "1:a"
mode = "webhook"
webhook_listen = "everywhere"
webhook_url = "bot.example.org"
webhook_secret = "no spaces allowed"
"""
    problems = _problems(_write(tmp_path, text))
    assert "host:port" in _one(problems, "channels.telegram.webhook_listen")
    assert "https://" in _one(problems, "channels.telegram.webhook_url")
    secret = _one(problems, "channels.telegram.webhook_secret")
    assert "no spaces allowed" not in secret  # a secret is never repeated


def test_matrix_needs_a_password_or_an_access_token(tmp_path: Path) -> None:
    text = '[channels.matrix]\nhomeserver = "https://m.example.org"\nuser_id = "@bot:example.org"\n'
    problems = _problems(_write(tmp_path, text))
    assert "password or access_token" in _one(problems, "channels.matrix.password")
    token = load_config(_write(tmp_path, text + 'access_token = "${TOKEN}"\n'), {"TOKEN": "t"}).channels.matrix
    assert token.on and token.allowed_servers == ("example.org",)  # the bot's own server by default
    assert token.store_dir == tmp_path / "matrix-store" and token.device_name == "Mitwirken"


def test_matrix_allowed_servers_must_not_be_empty(tmp_path: Path) -> None:
    text = "[channels.matrix]\nenabled = false\nallowed_servers = []\n"
    assert "at least one server" in _one(_problems(_write(tmp_path, text)), "channels.matrix.allowed_servers")


# --- channels on and off --------------------------------------------------------------------


def test_channel_status_for_auto_true_and_false(tmp_path: Path) -> None:
    text = """\
[channels.terminal]
enabled = "auto"
[channels.telegram]
enabled = false
token = "1:abc"
[channels.matrix]
enabled = "auto"
homeserver = "https://m.example.org"
user_id = "@bot:example.org"
password = "${MATRIX_PASSWORD}"
"""
    path = _write(tmp_path, text)
    status = channel_status(load_config(path, {}), stdin_is_tty=True)
    assert status == [
        ("telegram", False, "off: channels.telegram.enabled = false"),
        ("matrix", False, "off: channels.matrix.password is empty (set MATRIX_PASSWORD)"),
        ("terminal", True, "on: no messenger channel is on and stdin is a terminal"),
        ("web", False, "off: channels.web.listen is not set"),
    ]
    status = channel_status(load_config(path, {"MATRIX_PASSWORD": "pw"}), stdin_is_tty=True)
    assert [on for _, on, _ in status] == [False, True, False, False]
    assert status[2][2].startswith("off: a messenger channel is on")


def test_terminal_auto_needs_a_tty_and_true_forces_it(tmp_path: Path) -> None:
    auto = load_config(_write(tmp_path, ""), {})
    assert channel_status(auto, stdin_is_tty=False)[2] == (
        "terminal",
        False,
        "off: no messenger channel is on, but stdin is not a terminal",
    )
    forced = load_config(_write(tmp_path, "[channels.terminal]\nenabled = true\n"), {})
    assert channel_status(forced, stdin_is_tty=False)[2][1] is True


def test_enabled_true_with_an_empty_value_is_an_error(tmp_path: Path) -> None:
    text = '[channels.telegram]\nenabled = true\ntoken = "${TELEGRAM_BOT_TOKEN}"\n'
    problem = _one(_problems(_write(tmp_path, text)), "channels.telegram.enabled")
    assert "is true, but channels.telegram.token is empty (set TELEGRAM_BOT_TOKEN)" in problem


def test_enabled_accepts_only_auto_true_false(tmp_path: Path) -> None:
    problem = _one(_problems(_write(tmp_path, '[channels.terminal]\nenabled = "true"\n')), "channels.terminal.enabled")
    assert "without quotes" in problem


# --- paths ----------------------------------------------------------------------------------


def test_relative_paths_count_from_the_config_folder(tmp_path: Path) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    text = """\
[bot]
surveys = ["surveys", "../shared/calls", "/srv/absolute"]
[storage]
url = "sqlite:///data/mitwirken.db"
media_dir = "media"
[channels.matrix]
enabled = false
store_dir = "state/matrix"
"""
    config = load_config(_write(folder, text), {})
    assert config.bot.surveys == (folder / "surveys", tmp_path / "shared" / "calls", Path("/srv/absolute"))
    assert config.storage.url == f"sqlite:///{folder / 'data' / 'mitwirken.db'}"
    assert config.storage.media_dir == folder / "media"
    assert config.channels.matrix.store_dir == folder / "state" / "matrix"
    assert config.path == folder / "config.toml"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////var/lib/mitwirken.db", "sqlite:////var/lib/mitwirken.db"),
        ("sqlite://", "sqlite://"),
        ("sqlite:///:memory:", "sqlite:///:memory:"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_database_urls_that_stay(tmp_path: Path, url: str, expected: str) -> None:
    config = load_config(_write(tmp_path, f'[storage]\nurl = "{url}"\nsecret = "{SECRET}"\n'), {})
    assert config.storage.url == expected


def test_unknown_database_is_a_problem(tmp_path: Path) -> None:
    problem = _one(_problems(_write(tmp_path, '[storage]\nurl = "mysql://x/y"\n')), "storage.url")
    assert "SQLite or PostgreSQL" in problem


# --- the secret -----------------------------------------------------------------------------


def test_sqlite_without_secret_generates_and_keeps_a_key(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = load_config(_write(tmp_path, '[storage]\nurl = "sqlite:///db/m.db"\nsecret = "${MITWIRKEN_SECRET}"\n'), {})
    with caplog.at_level(logging.WARNING):
        first = resolve_secret(config)
    key_file = tmp_path / "db" / SECRET_FILE_NAME
    assert key_file.read_bytes() == first and len(first) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "MITWIRKEN_SECRET" in caplog.text and first.decode() not in caplog.text
    assert resolve_secret(config) == first  # the same key on the next start
    assert [p.name for p in key_file.parent.iterdir()] == [SECRET_FILE_NAME]  # no draft left over


def test_a_configured_secret_is_used_as_is(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, '[storage]\nsecret = "${S}"\n'), {"S": SECRET})
    assert resolve_secret(config) == SECRET.encode()
    assert not (tmp_path / SECRET_FILE_NAME).exists()


def test_postgresql_requires_a_secret(tmp_path: Path) -> None:
    text = '[storage]\nurl = "postgresql+psycopg://postgres@127.0.0.1/test"\nsecret = "${MITWIRKEN_SECRET}"\n'
    problem = _one(_problems(_write(tmp_path, text)), "storage.secret")
    assert "PostgreSQL" in problem and "set MITWIRKEN_SECRET" in problem
    config = load_config(_write(tmp_path, text), {"MITWIRKEN_SECRET": SECRET})
    assert not config.storage.is_sqlite and resolve_secret(config) == SECRET.encode()


def test_short_secret_is_refused_without_showing_it(tmp_path: Path) -> None:
    problem = _one(_problems(_write(tmp_path, '[storage]\nsecret = "tooshort123"\n')), "storage.secret")
    assert "tooshort123" not in problem


def test_repr_hides_secrets_and_staff_ids(tmp_path: Path) -> None:
    text = f"""\
[bot]
staff = ["telegram:987654321", "matrix:@alice:example.org"]
[storage]
url = "postgresql+psycopg://app:dbpassword99@db.example.org/mitwirken"
secret = "{SECRET}"
[channels.telegram]
token = "4242:telegram-token-value"
[channels.matrix]
homeserver = "https://m.example.org"
user_id = "@bot:example.org"
password = "matrix-password-value"
access_token = "matrix-token-value"
"""
    shown = repr(load_config(_write(tmp_path, text), {}))
    for hidden in (SECRET, "dbpassword99", "telegram-token-value", "matrix-password-value",
                   "matrix-token-value", "987654321", "@alice"):  # fmt: skip
        assert hidden not in shown
    assert "secret='***'" in shown and "app:***@db.example.org" in shown and "staff=<2 hidden>" in shown


# --- smaller values -------------------------------------------------------------------------


def test_defaults_and_quiet_hours(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, ""), {})
    telegram = config.channels.telegram
    assert (telegram.max_per_second, telegram.per_chat_per_second, telegram.group_per_minute) == (30, 1.0, 20)
    assert telegram.poll_timeout == 30 and telegram.mode == "polling"
    assert config.storage.max_photo_mb == 10 and config.storage.max_photo_bytes == 10 * 1024 * 1024
    assert config.bot.consent_version == "1" and config.storage.retention_days == 730
    reminders = config.reminders
    assert reminders.is_quiet(dt.time(22, 0)) and reminders.is_quiet(dt.time(7, 59))
    assert not reminders.is_quiet(dt.time(8, 0)) and not reminders.is_quiet(dt.time(20, 59))
    day = load_config(_write(tmp_path, '[reminders]\nquiet_hours = "12:00-14:00"\n'), {}).reminders
    assert day.is_quiet(dt.time(13, 0)) and not day.is_quiet(dt.time(15, 0))
    none = load_config(_write(tmp_path, '[reminders]\nquiet_hours = ""\n'), {}).reminders
    assert none.quiet_hours is None and not none.is_quiet(dt.time(3, 0))


def test_staff_lookup(tmp_path: Path) -> None:
    text = '[bot]\nstaff = ["telegram:42", "matrix:@alice:example.org", "terminal:anna"]\n'
    bot = load_config(_write(tmp_path, text), {}).bot
    assert bot.is_staff("telegram", "42") and bot.is_staff("matrix", "@alice:example.org")
    assert bot.is_staff("terminal", "anna") and not bot.is_staff("telegram", "43")


def test_topic_names_per_language_or_one_for_all(tmp_path: Path) -> None:
    config = load_config(REPO / "config.example.toml", {})
    assert config.bot.topic_names["gruen"] == {"de": "Grün und Parks", "en": "Parks and green spaces"}
    path = _write(
        tmp_path,
        """
[bot]
topics = ["verkehr", "gruen"]
[bot.topic_names]
gruen = "Grün"
""",
    )
    assert load_config(path, {}).bot.topic_names == {"gruen": {"de": "Grün", "en": "Grün"}}


def test_topic_names_problems_name_the_place_and_a_fix(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
[bot]
topics = ["verkehr", "gruen"]
[bot.topic_names]
gruen = { de = "", fr = "Vert" }
verkher = "Verkehr"
""",
    )
    problems = _problems(path)
    assert _one(problems, "bot.topic_names.verkher").endswith("did you mean 'verkehr'?")
    assert "unknown key 'fr'" in _one(problems, "bot.topic_names.gruen.fr")
    assert "the name in 'de' is empty" in _one(problems, "bot.topic_names.gruen")
    lonely = _write(tmp_path, '[bot]\n[bot.topic_names]\ngruen = "Grün"\n', "lonely.toml")
    assert "bot.topics lists none" in _one(_problems(lonely), "bot.topic_names")


def test_the_web_channel_and_the_telegram_name_make_the_links_that_paper_and_posters_carry(tmp_path: Path) -> None:
    config = load_config(
        _write(
            tmp_path,
            '[channels.web]\nlisten = "127.0.0.1:8080"\npublic_url = "https://mitwirken.example.org/"\n'
            'trusted_proxies = ["127.0.0.1"]\n[channels.telegram]\nusername = "@MitwirkenBot"\n',
        )
    )
    web, telegram = config.channels.web, config.channels.telegram
    assert web.on and web.listen_host_port == ("127.0.0.1", 8080) and web.trusted_proxies == ("127.0.0.1",)
    assert web.process_url("radverkehr") == "https://mitwirken.example.org/p/radverkehr"
    status = {name: (on, why) for name, on, why in channel_status(config, stdin_is_tty=False)}
    assert status["web"] == (True, "on: http://127.0.0.1:8080/ (public: https://mitwirken.example.org/)")
    assert telegram.process_url("radverkehr") == "https://t.me/MitwirkenBot?start=radverkehr"
    off = load_config(_write(tmp_path, "[bot]\n"))
    assert not off.channels.web.on and off.channels.web.process_url("x") is None
    assert off.channels.telegram.process_url("x") is None


def test_a_bad_web_address_or_bot_name_is_named_with_a_fix(tmp_path: Path) -> None:
    problems = _problems(
        _write(
            tmp_path,
            '[channels.web]\nlisten = "port 80"\npublic_url = "mitwirken.de"\n[channels.telegram]\nusername = "a b"\n',
        )
    )
    text = "\n".join(problems)
    assert "channels.web.listen" in text and "channels.web.public_url" in text and "channels.telegram.username" in text
