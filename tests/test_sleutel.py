"""Keys of encrypted originals belong to the project id, not to the folder; check, decrypt and rotate."""

import shutil

import pytest

from wijkkit.config import Project
from wijkkit.errors import WijkkitInputError
from wijkkit.privacy import sleutel
from wijkkit.store import open_store
from wijkkit.store.models import Original
from wijkkit.vertellen.importeren import import_stories


def _keep_originals(project_dir):
    toml = project_dir / "wijkkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("originelen_bewaren = false",
                                                             "originelen_bewaren = true"), encoding="utf-8")


def _story(folder, name, text, toestemming="analyse"):
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.md").write_text(
        f"---\ngebied: BU99990201\nmethode: interview\nverteller_rol: bewoner\ntoestemming: {toestemming}\n---\n"
        f"{text}\n", encoding="utf-8")


@pytest.fixture
def keys(tmp_path, monkeypatch):
    folder = tmp_path / "sleutels"
    monkeypatch.setenv("WIJKKIT_KEY_DIR", str(folder))
    return folder


def test_renaming_the_project_folder_keeps_the_originals_readable(demo_project, tmp_path, keys):
    _keep_originals(demo_project)
    texts = {f"v{i}": f"Bel Henk op 06-1234567{i}, hij woont op de Dorpsweg {i}." for i in range(4)}
    for name, text in texts.items():
        _story(tmp_path / "nieuw", name, text)
    import_stories(Project.load(demo_project), tmp_path / "nieuw")
    moved = tmp_path / "elders" / "hernoemd"
    moved.parent.mkdir()
    shutil.move(str(demo_project), moved)
    project = Project.load(moved)
    store = project.open_store()
    assert dict(sleutel.decrypt_all(project, store)) == texts
    assert sleutel.check(project, store) | {"sleutel": ""} == {"originelen": 4, "leesbaar": 4, "onleesbaar": [],
                                                               "sleutel": ""}


def test_a_project_without_id_gets_one_and_adopts_its_old_folder_key(demo_project, keys):
    from cryptography.fernet import Fernet

    toml = demo_project / "wijkkit.toml"
    toml.write_text("\n".join(line for line in toml.read_text(encoding="utf-8").splitlines()
                              if not line.startswith("id = ")) + "\n", encoding="utf-8")
    legacy = sleutel.legacy_key_path(demo_project)
    legacy.parent.mkdir(parents=True)
    old_key = Fernet.generate_key()
    legacy.write_bytes(old_key)
    project = Project.load(demo_project)
    assert project.config.project.id is None
    token = Fernet(old_key).encrypt(b"origineel")
    assert sleutel.fernet(project).decrypt(token) == b"origineel"
    reloaded = Project.load(demo_project)  # the id was written into wijkkit.toml, and validates
    assert reloaded.config.project.id == project.config.project.id
    assert sleutel.key_path(reloaded).read_bytes().strip() == old_key


def test_rotation_reencrypts_everything_and_keeps_a_backup(demo_project, tmp_path, keys):
    _keep_originals(demo_project)
    _story(tmp_path / "nieuw", "a", "Mijn nummer is 06-11223344.")
    _story(tmp_path / "nieuw", "b", "Mail naar p.jansen@hotmail.com.")
    _story(tmp_path / "nieuw", "c", "Niets te bewaren.", toestemming="none")
    project = Project.load(demo_project)
    import_stories(project, tmp_path / "nieuw")
    store = project.open_store()
    with store.read() as session:
        before = {o.story_id: o.versleuteld for o in session.query(Original)}
    old_key = sleutel.key_path(project).read_bytes()
    assert sleutel.rotate(project, store) == 2
    with store.read() as session:
        after = {o.story_id: o.versleuteld for o in session.query(Original)}
    assert set(after) == {"a", "b"} and all(after[k] != before[k] for k in after)
    assert sleutel.key_path(project).read_bytes() != old_key
    assert len(list(keys.glob(f"{project.config.project.id}.key.oud-*"))) == 1
    assert dict(sleutel.decrypt_all(project, store)) == {"a": "Mijn nummer is 06-11223344.",
                                                         "b": "Mail naar p.jansen@hotmail.com."}


def test_without_the_key_the_check_says_so_in_dutch(demo_project, tmp_path, keys):
    project = Project.load(demo_project)
    store = open_store(f"sqlite:///{tmp_path / 'leeg.db'}")
    with pytest.raises(WijkkitInputError, match="sleutel van dit project"):
        sleutel.check(project, store)
