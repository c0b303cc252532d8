"""真行 said to the shop is ironic wherever it is said (handlers/sarcasm.py)."""

from __future__ import annotations

import pytest

from handlers.sarcasm import ironic_praise, praise_for_no_help


@pytest.mark.parametrize("text", ["你们质量真行啊", "你家东西可真行", "你们可真行"])
def test_zhenxing_to_the_shop_is_ironic(text: str) -> None:
    assert ironic_praise(text)
    assert praise_for_no_help(text)


@pytest.mark.parametrize("text", ["你们服务真好 谢谢", "太好了 谢谢", "great thanks"])
def test_plain_praise_is_not(text: str) -> None:
    assert not praise_for_no_help(text)
