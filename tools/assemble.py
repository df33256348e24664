"""Turn Sphinx's ``singlehtml`` output into one print-ready HTML document.

What the browser shows interactively has to be on paper: tabs and dropdowns are
opened and every tab gets its label as a heading; links show their address; and the
pieces a booklet needs are added: a cover, a contents page (page numbers come from
CSS ``target-counter`` in ``docs/_static/print.css``) and a "Your care team" page.

``singlehtml`` concatenates all documents into one page, so ids repeat (every chapter
has a ``what-it-is`` section). Each document's ids get a prefix here and links are
pointed at the right document, so cross-links and contents entries land on the
right page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from clinic import Clinic

NOTE_LINES = 12  # ruled lines for handwritten notes on the care-team page


class AssemblyError(ValueError):
    """The Sphinx output cannot be turned into a print document; one-line message."""


@dataclass
class Edition:
    paper: str = "a4"  # "a4" or "letter"
    large_print: bool = False
    clinic: Clinic | None = None
    created: str | None = None  # W3C date-time for the PDF metadata


@dataclass
class _Doc:
    name: str  # Sphinx docname, e.g. "chapters/001-walking"
    section: Tag
    slug: str
    ids: dict[str, str] = field(default_factory=dict)  # old id -> new id


def _meta(soup: BeautifulSoup, name: str, default: str = "") -> str:
    tag = soup.find("meta", attrs={"name": name})
    return str(tag["content"]) if tag and tag.get("content") else default


def _slug(docname: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", docname).strip("-").lower() or "doc"


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def _new(soup: BeautifulSoup, tag_name: str, text: str | None = None, **attrs: str) -> Tag:
    attrs = {key.rstrip("_"): value for key, value in attrs.items()}
    tag = soup.new_tag(tag_name, attrs=attrs)
    if text is not None:
        tag.string = text
    return tag


def _split_documents(body: Tag) -> tuple[Tag, list[_Doc]]:
    """Return the root document's section and the included documents, in order."""
    root = body.find("section")
    if root is None:
        raise AssemblyError("the singlehtml output has no content section")
    docs = []
    for marker in body.find_all("span", id=re.compile(r"^document-")):
        section = marker.find_next_sibling()
        if section is None or section.name != "section":
            continue
        name = marker["id"].removeprefix("document-")
        _take_footnotes(section)
        docs.append(_Doc(name=name, section=section, slug=_slug(name)))
        marker.decompose()
    _take_footnotes(root)
    return root, docs


def _take_footnotes(section: Tag) -> None:
    """Move a document's footnotes (``{footcite}`` references) into the document.

    docutils writes them after the document's top section (``<hr class="footnotes">``
    and ``<aside class="footnote-list">``); in singlehtml that is outside the section
    the PDF keeps. They go where ``{footbibliography}`` stood (an empty container), or
    else at the end of the document.
    """
    found = []
    for sibling in section.find_next_siblings():
        if sibling.name == "span" and str(sibling.get("id", "")).startswith("document-"):
            break
        if sibling.name == "section":
            break
        if sibling.name == "hr" and "footnotes" in sibling.get("class", []):
            sibling.decompose()
        elif sibling.name == "aside" and "footnote-list" in sibling.get("class", []):
            found.append(sibling.extract())
    if not found:
        return
    empty = [
        div for div in section.select("div.container")
        if not div.get_text(strip=True) and not div.find(True)
    ]  # fmt: skip
    place = empty[-1] if empty else section
    for footnotes in found:
        place.append(footnotes)


def _shift_headings(section: Tag) -> None:
    """Make the document's title an h1 and keep the levels below it in step."""
    headings = section.find_all(re.compile(r"^h[1-6]$"))
    if not headings:
        return
    shift = int(headings[0].name[1]) - 1
    for heading in headings:
        heading.name = f"h{max(1, min(6, int(heading.name[1]) - shift))}"


def _number_ids(doc: _Doc) -> None:
    for tag in [doc.section, *doc.section.find_all(id=True)]:
        new = f"{doc.slug}--{tag['id']}"
        doc.ids.setdefault(tag["id"], new)
        tag["id"] = new


def _fix_links(soup: BeautifulSoup, docs: list[_Doc], chapter_ids: dict[str, str]) -> None:
    """Point every in-page link at the (renamed) id in the right document."""
    owner: dict[int, _Doc] = {}
    for doc in docs:
        for tag in doc.section.find_all("a", href=True):
            owner.setdefault(id(tag), doc)
    existing = {tag["id"] for tag in soup.body.find_all(id=True)}
    # Every element with an id, in document order, indexed once: one soup.find(id=...)
    # per link walked the whole page each time (most of a PDF build's time).
    with_id: dict[str, list[Tag]] = {}
    for tag in soup.find_all(id=True):
        with_id.setdefault(tag["id"], []).append(tag)
    for link in soup.body.find_all("a", href=True):
        href = link["href"]
        if href.startswith("#") and href[1:] in existing and "--" in href:
            continue  # made by this module (contents page), already right
        if not href.startswith("#"):
            if not re.match(r"^[a-z][a-z0-9+.-]*:", href):
                # A link to another page of the web site (index, search): print as text.
                link.unwrap()
            continue
        fragment = href[1:]
        if fragment.startswith("document-"):
            target = chapter_ids.get(fragment.removeprefix("document-"))
        else:
            here = owner.get(id(link))
            target = here.ids.get(fragment) if here else None
            if target is None:
                target = next((d.ids[fragment] for d in docs if fragment in d.ids), None)
        if target is None:
            link.unwrap()
            continue
        link["href"] = f"#{target}"
        if link.find_parent("nav") is None and link.find_parent(re.compile("^h[1-6]$")) is None:
            # The first element with that id still in the page (as soup.find gives).
            node = next((t for t in with_id.get(target, ()) if t.parent is not None), None)
            if node is not None and node.name == "section":
                link["class"] = [*link.get("class", []), "page-ref"]


def _open_tabs(soup: BeautifulSoup) -> None:
    """Print every tab: its label becomes a small heading above its content."""
    for tab_set in soup.select("div.sd-tab-set"):
        label_text = None
        for child in list(tab_set.children):
            if not isinstance(child, Tag):
                continue
            if child.name == "input":
                child.decompose()
            elif child.name == "label":
                label_text = _text(child)
                child.decompose()
            elif "sd-tab-content" in child.get("class", []):
                tab = _new(soup, "div", class_="print-tab")
                child.wrap(tab)
                tab.insert(0, _new(soup, "p", label_text or "", class_="print-tab-label"))
                label_text = None
        tab_set["class"] = [*tab_set.get("class", []), "print-tab-set"]


def _open_dropdowns(soup: BeautifulSoup) -> None:
    for details in soup.find_all("details"):
        summary = details.find("summary")
        title = _text(summary) if summary else ""
        if summary:
            summary.decompose()
        details.name = "div"
        details.attrs.pop("open", None)
        details["class"] = [*details.get("class", []), "print-dropdown"]
        if title:
            details.insert(0, _new(soup, "p", title, class_="print-dropdown-title"))


def _show_addresses(soup: BeautifulSoup) -> None:
    """A printed page cannot be clicked: print the address after the link text."""
    for link in soup.body.find_all("a", href=re.compile(r"^(https?|mailto):")):
        href = link["href"]
        shown = _text(link)
        bare = re.sub(r"^(https?://|mailto:)", "", href).rstrip("/")
        text = re.sub(r"^(doi:|https?://)", "", shown, flags=re.I).rstrip("/")
        if text and (text in bare or bare in text):
            continue  # the address (or the DOI) is already the link text
        address = href.removeprefix("mailto:")
        link.insert_after(_new(soup, "span", f" ({address})", class_="print-url"))


def _check_images(soup: BeautifulSoup, docs: list[_Doc]) -> None:
    for image in soup.body.find_all("img"):
        if not (image.get("alt") or "").strip():
            chapter = image.find_parent("section", class_="chapter")
            doc = next((d for d in docs if chapter is d.section), None)
            where = f"{doc.name}.md" if doc else "the handbook"
            raise AssemblyError(
                f"{where}: image {image.get('src', '?')!r} has no alternative text "
                "(write it in the brackets: ![what the image shows](file.png))"
            )


def _cover(soup: BeautifulSoup, meta: dict[str, str], edition: Edition) -> Tag:
    cover = _new(soup, "section", class_="cover", id="book--cover")
    clinic = edition.clinic
    if clinic and clinic.logo:
        alt = f"Logo of {clinic.name}" if clinic.name else "Clinic logo"
        cover.append(_new(soup, "img", src=clinic.logo.as_uri(), alt=alt, class_="cover-logo"))
    cover.append(_new(soup, "p", meta["project"], class_="cover-title"))
    if meta["subtitle"]:
        cover.append(_new(soup, "p", meta["subtitle"], class_="cover-subtitle"))
    if edition.large_print:
        cover.append(_new(soup, "p", "Large-print edition", class_="cover-variant"))
    details = []
    if meta["edition-date"]:
        details.append(f"Edition of {meta['edition-date']}")
    if meta["version"]:
        details.append(f"Version {meta['version']}")
    if details:
        cover.append(_new(soup, "p", " · ".join(details), class_="cover-edition"))
    if clinic and any((clinic.name, clinic.address, clinic.phone, clinic.website)):
        box = _new(soup, "div", class_="cover-clinic")
        box.append(_new(soup, "p", "Given to you by", class_="cover-clinic-intro"))
        box.extend(_clinic_lines(soup, clinic))
        cover.append(box)
    cover.append(
        _new(
            soup,
            "p",
            "This handbook explains treatments in plain words. "
            "It is not medical advice: talk with your doctor about what is right for you.",
            class_="cover-note",
        )
    )
    return cover


def _clinic_lines(soup: BeautifulSoup, clinic: Clinic) -> list[Tag]:
    lines = []
    if clinic.name:
        lines.append(_new(soup, "p", clinic.name, class_="clinic-name"))
    if clinic.address:
        address = _new(soup, "p", class_="clinic-address")
        for number, part in enumerate(clinic.address.splitlines()):
            if number:
                address.append(_new(soup, "br"))
            address.append(NavigableString(part.strip()))
        lines.append(address)
    if clinic.phone:
        lines.append(_new(soup, "p", f"Phone: {clinic.phone}", class_="clinic-phone"))
    if clinic.website:
        lines.append(_new(soup, "p", f"Website: {clinic.website}", class_="clinic-website"))
    return lines


def _care_team(soup: BeautifulSoup, edition: Edition) -> Tag:
    page = _new(soup, "section", class_="chapter care-team", id="book--care-team")
    page.append(_new(soup, "h1", "Your care team"))
    clinic = edition.clinic
    if clinic and any((clinic.name, clinic.address, clinic.phone, clinic.website)):
        box = _new(soup, "div", class_="care-team-clinic")
        box.extend(_clinic_lines(soup, clinic))
        page.append(box)
    page.append(
        _new(
            soup,
            "p",
            "Write down the names of the people who look after you, "
            "and anything you want to remember or ask at your next visit.",
        )
    )
    table = _new(soup, "table", class_="fill-in")
    for label in ("My doctor", "Nurse or care coordinator", "Phone number", "Next appointment"):
        row = _new(soup, "tr")
        row.append(_new(soup, "th", label, scope="row"))
        row.append(_new(soup, "td", "\u00a0"))
        table.append(row)
    page.append(table)
    page.append(_new(soup, "h2", "Notes", id="book--care-team-notes"))
    notes = _new(soup, "div", class_="note-lines")
    for _ in range(NOTE_LINES):
        notes.append(_new(soup, "div", class_="note-line"))
    page.append(notes)
    return page


def _contents(soup: BeautifulSoup, chapters: list[Tag]) -> Tag:
    nav = _new(soup, "nav", class_="toc", id="book--contents")
    nav["aria-label"] = "Contents"
    nav.append(_new(soup, "h1", "Contents", class_="toc-title"))
    listing = _new(soup, "ul", class_="toc-chapters")
    for chapter in chapters:
        title = chapter.find("h1")
        if title is None:
            continue
        item = _new(soup, "li", class_="toc-chapter")
        item.append(_new(soup, "a", _text(title), href=f"#{chapter['id']}"))
        sections = [
            s for s in chapter.find_all("section", recursive=False) if s.find("h2", recursive=False)
        ]
        if sections:
            sub = _new(soup, "ul", class_="toc-sections")
            for section in sections:
                entry = _new(soup, "li", class_="toc-section")
                heading = section.find("h2", recursive=False)
                entry.append(_new(soup, "a", _text(heading), href=f"#{section['id']}"))
                sub.append(entry)
            item.append(sub)
        listing.append(item)
    nav.append(listing)
    return nav


def assemble(singlehtml: str, edition: Edition) -> str:
    """Return the print document for the ``singlehtml`` page given as text."""
    source = BeautifulSoup(singlehtml, "html.parser")
    body = source.find("div", class_="body")
    if body is None:
        raise AssemblyError("the singlehtml output has no div.body (was it built with -t print?)")
    meta = {
        key: _meta(source, f"handbook:{key}")
        for key in ("project", "subtitle", "edition-date", "version", "author")
    }
    if not meta["project"] and source.title:
        meta["project"] = _text(source.title)
    lang = source.html.get("lang", "en") if source.html else "en"

    for link in body.select("a.headerlink"):
        link.decompose()
    root, docs = _split_documents(body)
    for doc in docs:
        doc.section.extract()
    for wrapper in root.select("div.toctree-wrapper"):
        wrapper.decompose()
    root_doc = _Doc(name="index", section=root, slug="index")

    for doc in [root_doc, *docs]:
        _shift_headings(doc.section)
        _number_ids(doc)
        doc.section["class"] = [*doc.section.get("class", []), "chapter"]
    chapter_ids = {doc.name: doc.section["id"] for doc in docs}
    chapter_ids["index"] = root["id"]

    out = BeautifulSoup("<!DOCTYPE html><html><head></head><body></body></html>", "html.parser")
    out.html["lang"] = lang
    if edition.large_print:
        out.html["class"] = ["large-print"]
    head = out.head
    title = f"{meta['project']}: {meta['subtitle']}" if meta["subtitle"] else meta["project"]
    head.append(_new(out, "meta", charset="utf-8"))
    head.append(_new(out, "title", title))
    if meta["author"]:
        head.append(_new(out, "meta", name="author", content=meta["author"]))
    head.append(_new(out, "meta", name="description", content=title))
    head.append(_new(out, "meta", name="generator", content="Sphinx, tools/build_pdf.py"))
    if edition.created:
        head.append(_new(out, "meta", name="dcterms.created", content=edition.created))
        head.append(_new(out, "meta", name="dcterms.modified", content=edition.created))

    # The root page's own text (everything but its title and toctrees) opens the book,
    # unless it holds nothing besides the title.
    front = [root_doc] if _text(root).replace(_text(root.find("h1") or root), "", 1).strip() else []
    chapters = [doc.section for doc in front + docs]

    main = out.body
    main.append(_cover(out, meta, edition))
    care_team = _care_team(out, edition)
    main.append(_contents(out, [care_team, *chapters]))
    main.append(care_team)
    for chapter in chapters:
        main.append(chapter)

    _fix_links(out, [root_doc, *docs], chapter_ids)
    _open_tabs(out)
    _open_dropdowns(out)
    _show_addresses(out)
    _check_images(out, docs)
    for svg in out.select("svg[aria-hidden=true]"):
        svg.decompose()  # dropdown chevrons and other decoration
    _lighten(out)
    return "<!DOCTYPE html>\n" + str(out.html)


# Inline wrappers that carry no style in print.css: their text stays, the element goes.
# Only the footnote brackets: unwrapping the "xref" spans inside links too made
# WeasyPrint break a line after a lone word ("cleared / by / the FDA" in chapter 001).
_PLAIN_SPANS = {"fn-bracket"}


def _lighten(soup: BeautifulSoup) -> None:
    """Drop markup that prints nothing of its own, so WeasyPrint has less to lay out.

    Every element becomes a box that WeasyPrint lays out, draws and tags; the ``[`` and
    ``]`` around each of the 600-odd footnote numbers were two boxes each, and unwrapping
    them (the text stays the same) takes about a sixth off the PDF build's work.
    Footnotes' links back to the text ("back to 1, 2, 3") mean nothing on paper and are
    hidden by print.css anyway.
    """
    for span in soup.body.find_all("span", class_=True):
        if not span.get("id") and set(span["class"]) & _PLAIN_SPANS:
            span.unwrap()
    for backrefs in soup.body.select("aside.footnote > span.backrefs"):
        backrefs.decompose()


def read_singlehtml(folder: Path) -> str:
    index = folder / "index.html"
    try:
        return index.read_text(encoding="utf-8")
    except OSError as error:
        raise AssemblyError(f"{index}: cannot read ({error.strerror}); build singlehtml first")
