"""RunConfig: defaults validate, YAML overrides, errors name the key and what to do."""

import pytest

from framelens.core.config import RunConfig
from framelens.core.errors import EXIT_CONFIG, ConfigError


def test_config_defaults_validate_and_roundtrip():
    cfg = RunConfig().validate()
    again = RunConfig.from_dict(cfg.to_dict())
    assert again.to_dict() == cfg.to_dict()


def test_config_yaml_overrides_sections(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("seed: 7\nextract:\n  workers: 1\ntopics:\n  k: 5\n  engine: nmf\n")
    cfg = RunConfig.from_yaml(p)
    assert (cfg.seed, cfg.extract.workers, cfg.topics.k, cfg.topics.engine) == (7, 1, 5, "nmf")
    assert cfg.compare.n_boot == RunConfig().compare.n_boot


@pytest.mark.parametrize(
    "text,needle",
    [
        ("sed: 1\n", "'sed'"),
        ("topics:\n  engine: bert\n", "topics.engine"),
        ("extract:\n  executor: spark\n", "spark"),
        ("compare:\n  n_boot: 10\n", "n_boot"),
        ("extract: 3\n", "expected a mapping"),
        ("- a\n- b\n", "not a mapping"),
        ("a: [\n", "valid YAML"),
    ],
)
def test_config_errors_name_the_problem(tmp_path, text, needle):
    p = tmp_path / "bad.yaml"
    p.write_text(text)
    with pytest.raises(ConfigError) as info:
        RunConfig.from_yaml(p)
    assert needle in str(info.value)
    assert info.value.exit_code == EXIT_CONFIG
