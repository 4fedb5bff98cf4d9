"""The fixed wording of printed documents, read from resources/notice_wording.yaml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from workbench.errors import WorkbenchError
from workbench.paths import resources_dir

WORDING_FILE = "notice_wording.yaml"


class Wording:
    """One section of the wording file (``notice``, ``receipt``, ``reinspection``).

    Templates are plain text with ``{name}`` placeholders; :meth:`text` fills them. The result is
    still plain text: escaping for PDF markup happens later, in markup.Typesetter.
    """

    def __init__(self, path: Path, section: str, data: dict, shared: dict):
        self._path = path
        self._section = section
        self._data = data
        self._shared = shared

    def raw(self, key: str):
        """The value under ``key`` (a string, list or mapping), shared keys included.

        Raises:
            WorkbenchError: the key is missing from the wording file.
        """
        if key in self._data:
            return self._data[key]
        if key in self._shared:
            return self._shared[key]
        raise WorkbenchError(f"文书措辞文件 {self._path} 缺少“{self._section}.{key}”。")

    def text(self, key: str, **values: str) -> str:
        """The template under ``key`` with its placeholders filled from ``values``.

        Raises:
            WorkbenchError: missing key, or a placeholder the code does not supply.
        """
        template = self.raw(key)
        try:
            return str(template).format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            raise WorkbenchError(f"文书措辞文件 {self._path} 中“{self._section}.{key}”的占位符"
                                 f"无效：{exc}") from exc


def wording(section: str, path: Path | None = None) -> Wording:
    """The wording of one document kind.

    Args:
        section: ``notice``, ``receipt`` or ``reinspection``.
        path: another wording file (tests); default ``resources/notice_wording.yaml``.

    Raises:
        WorkbenchError: the file is missing or malformed, or lacks the section.
    """
    path = path or resources_dir() / WORDING_FILE
    data = _load(path)
    body = data.get(section)
    if not isinstance(body, dict):
        raise WorkbenchError(f"文书措辞文件 {path} 缺少“{section}”一节。")
    shared = {k: v for k, v in data.items() if not isinstance(v, dict)}
    return Wording(path, section, body, shared)


@lru_cache(maxsize=8)
def _load(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise WorkbenchError(f"无法读取文书措辞文件 {path}：{exc}") from exc
    if not isinstance(data, dict):
        raise WorkbenchError(f"文书措辞文件 {path} 格式不正确：顶层应为键值表。")
    return data
