"""CSV imports of hostile files: an unbalanced quote is a row error, not two people in one."""

import pytest

from contacts.importing import RowIssue, contact_import
from contacts.importing.reading import UNCLOSED_QUOTE_ISSUE
from contacts.models import Contact

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "lines",
    [
        ('Ana,"Souza,ana@mail.example', "Bob,Stone,bob@mail.example"),
        ('Ana,"Souza,ana@mail.example', 'Bob,Stone",bob@mail.example'),
    ],
)
def test_an_unbalanced_quote_is_a_row_error_and_writes_nothing(lines):
    content = ("\n".join(["First Name,Last Name,Email", *lines]) + "\n").encode()

    result = contact_import(content=content)

    assert result.issues == [RowIssue(2, "", UNCLOSED_QUOTE_ISSUE)]
    assert result.written is False
    assert Contact.objects.count() == 0
