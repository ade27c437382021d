from __future__ import annotations

import pytest

from claimgraph.errors import ConfigError
from claimgraph.settings import load_settings


def test_packaged_defaults_load():
    settings = load_settings()
    assert settings.model == "auto"
    assert settings.max_chars == 1_000_000
    assert settings.kb_extra == []


def test_user_file_overrides_defaults_and_flags_override_file(tmp_path):
    cfg = tmp_path / "my.cfg"
    cfg.write_text("[pipeline]\nbatch_size = 8  # small machine\n[kb]\nextra = a.yaml, b.tsv\n")
    settings = load_settings(cfg)
    assert settings.batch_size == 8
    assert settings.kb_extra == ["a.yaml", "b.tsv"]
    assert load_settings(cfg, batch_size=16).batch_size == 16


def test_unknown_option_is_a_coded_error(tmp_path):
    cfg = tmp_path / "bad.cfg"
    cfg.write_text("[pipeline]\nbatchsize = 8\n")
    with pytest.raises(ConfigError) as info:
        load_settings(cfg)
    assert info.value.code == "CG800"
    assert "batchsize" in info.value.one_line()


def test_bad_value_names_the_file(tmp_path):
    cfg = tmp_path / "bad.cfg"
    cfg.write_text("[ingest]\nmax_chars = lots\n")
    with pytest.raises(ConfigError) as info:
        load_settings(cfg)
    assert str(cfg) in info.value.one_line()
