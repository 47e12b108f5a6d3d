"""markdown-it's flat block tokens as a tree of nodes (inline tokens stay as markdown-it left them).

markdown_it.tree.SyntaxTreeNode also makes a node of every inline token, which took a third of
the reading time of a large file; the reader only needs the block nesting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token


@dataclass(slots=True)
class Node:
    """A block: its opening token (or the token itself, for a leaf) and its children."""

    token: Token
    children: list[Node] = field(default_factory=list)

    @property
    def type(self) -> str:
        kind = self.token.type
        return kind[:-5] if self.token.nesting == 1 and kind.endswith("_open") else kind

    @property
    def tag(self) -> str:
        return self.token.tag

    @property
    def attrs(self) -> dict[str, str | int | float]:
        return self.token.attrs

    @property
    def markup(self) -> str:
        return self.token.markup

    @property
    def info(self) -> str:
        return self.token.info

    @property
    def content(self) -> str:
        return self.token.content

    @property
    def map(self) -> list[int] | None:
        return self.token.map


def block_tree(tokens: Sequence[Token]) -> Node:
    """The root node of the tokens' block nesting."""
    root = Node(Token("root", "", 0))
    stack = [root]
    for token in tokens:
        if token.nesting == 1:
            node = Node(token)
            stack[-1].children.append(node)
            stack.append(node)
        elif token.nesting == -1:
            if len(stack) > 1:
                stack.pop()
        else:
            stack[-1].children.append(Node(token))
    return root
