import pytest

from wijkkit.codebook import load_codebook
from wijkkit.errors import WijkkitInputError


def write(tmp_path, text):
    path = tmp_path / "codebook.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_own_codes_and_sub_codes_are_allowed(tmp_path):
    path = write(tmp_path, "themas:\n  - {id: wonen, label: Wonen, termen: [huis]}\n"
                           "  - {id: wonen_schimmel, label: Schimmel, ouder: wonen, termen: [schimmel]}\n")
    assert load_codebook(path).theme_ids == ["wonen", "wonen_schimmel"]


@pytest.mark.parametrize("text,field,word", [
    ("themas:\n  - {id: Wonen!, label: Wonen}\n", "themas[Wonen!].id", "kleine letters"),
    ("themas:\n  - {id: wonen}\n", "themas[wonen].label", "verplicht"),
    ("themas:\n  - {id: wonen, label: W}\n  - {id: wonen, label: X}\n", None, "dubbel: wonen"),
    ("themas:\n  - {id: sub, label: S, ouder: bestaatniet}\n", None, "bestaatniet"),
    ("themas:\n  - {id: wonen, label: W, kleur: rood, extra: 1}\n", "themas[wonen].extra", "onbekend veld"),
])
def test_validation_names_the_field(tmp_path, text, field, word):
    with pytest.raises(WijkkitInputError) as info:
        load_codebook(write(tmp_path, text))
    message = str(info.value)
    assert "codebook.yml" in message and word in message
    if field:
        assert field in message
