package main

import (
	"encoding/base64"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
)

// doc is a report as a list of blocks, rendered both as Markdown (figures
// linked by relative path) and as one self-contained HTML page (figures
// embedded as data: URIs), so that the two always say the same.
type doc struct {
	title  string
	blocks []block
}

// A block is one element of a report.
type block interface {
	markdown(b *strings.Builder, mdDir string)
	html(b *strings.Builder) error
}

func (d *doc) add(bs ...block) { d.blocks = append(d.blocks, bs...) }

// heading is a section title; id is its HTML anchor.
type heading struct {
	level int
	text  string
	id    string
}

func (h heading) markdown(b *strings.Builder, _ string) {
	fmt.Fprintf(b, "%s %s\n\n", strings.Repeat("#", h.level), h.text)
}

func (h heading) html(b *strings.Builder) error {
	id := ""
	if h.id != "" {
		id = fmt.Sprintf(` id="%s"`, html.EscapeString(h.id))
	}
	fmt.Fprintf(b, "<h%d%s>%s</h%d>\n", h.level, id, html.EscapeString(h.text), h.level)
	return nil
}

// para is a paragraph of plain text; note makes it a callout.
type para struct {
	text string
	note bool
}

func (p para) markdown(b *strings.Builder, _ string) {
	if p.note {
		fmt.Fprintf(b, "> %s\n\n", p.text)
		return
	}
	fmt.Fprintf(b, "%s\n\n", p.text)
}

func (p para) html(b *strings.Builder) error {
	class := ""
	if p.note {
		class = ` class="note"`
	}
	fmt.Fprintf(b, "<p%s>%s</p>\n", class, html.EscapeString(p.text))
	return nil
}

// list is a bulleted list; links, if set, holds an in-page anchor per item.
type list struct {
	items []string
	links []string
}

func (l list) markdown(b *strings.Builder, _ string) {
	for _, it := range l.items {
		fmt.Fprintf(b, "- %s\n", it)
	}
	b.WriteString("\n")
}

func (l list) html(b *strings.Builder) error {
	b.WriteString("<ul>\n")
	for i, it := range l.items {
		if i < len(l.links) && l.links[i] != "" {
			fmt.Fprintf(b, "<li><a href=\"#%s\">%s</a></li>\n", html.EscapeString(l.links[i]), html.EscapeString(it))
			continue
		}
		fmt.Fprintf(b, "<li>%s</li>\n", html.EscapeString(it))
	}
	b.WriteString("</ul>\n")
	return nil
}

// table is a table with a header row; numeric columns are right-aligned.
type table struct {
	head    []string
	rows    [][]string
	numeric []bool // per column
}

func (t table) markdown(b *strings.Builder, _ string) {
	cell := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	b.WriteString("|")
	for _, h := range t.head {
		fmt.Fprintf(b, " %s |", cell(h))
	}
	b.WriteString("\n|")
	for i := range t.head {
		if i < len(t.numeric) && t.numeric[i] {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.rows {
		b.WriteString("|")
		for _, c := range r {
			fmt.Fprintf(b, " %s |", cell(c))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

func (t table) html(b *strings.Builder) error {
	b.WriteString("<table>\n<thead><tr>")
	for _, h := range t.head {
		fmt.Fprintf(b, "<th>%s</th>", html.EscapeString(h))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, r := range t.rows {
		b.WriteString("<tr>")
		for i, c := range r {
			class := ""
			if i < len(t.numeric) && t.numeric[i] {
				class = ` class="num"`
			}
			fmt.Fprintf(b, "<td%s>%s</td>", class, html.EscapeString(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
	return nil
}

// code is a preformatted block.
type code struct {
	lang, text string
}

func (c code) markdown(b *strings.Builder, _ string) {
	fmt.Fprintf(b, "```%s\n%s\n```\n\n", c.lang, strings.TrimRight(c.text, "\n"))
}

func (c code) html(b *strings.Builder) error {
	fmt.Fprintf(b, "<pre><code>%s</code></pre>\n", html.EscapeString(strings.TrimRight(c.text, "\n")))
	return nil
}

// image is a figure: a PNG file shown with its caption. Markdown links the
// file; HTML embeds it.
type image struct {
	path, alt, caption string
}

func (im image) markdown(b *strings.Builder, mdDir string) {
	rel, err := filepath.Rel(mdDir, im.path)
	if err != nil {
		rel = im.path
	}
	fmt.Fprintf(b, "![%s](%s)\n\n*%s*\n\n", im.alt, filepath.ToSlash(rel), im.caption)
}

func (im image) html(b *strings.Builder) error {
	data, err := os.ReadFile(im.path)
	if err != nil {
		return err
	}
	fmt.Fprintf(b, "<figure><img alt=\"%s\" src=\"data:image/png;base64,%s\"/><figcaption>%s</figcaption></figure>\n",
		html.EscapeString(im.alt), base64.StdEncoding.EncodeToString(data), html.EscapeString(im.caption))
	return nil
}

// reportCSS styles the HTML report: readable tables and figures that fit the
// window.
const reportCSS = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1,h2,h3{line-height:1.2}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2.5rem}
table{border-collapse:collapse;margin:.5rem 0 1.2rem;font-size:.9rem}th,td{border:1px solid #ddd;padding:.25rem .55rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:1rem 0 1.6rem}img{max-width:100%;height:auto}figcaption{font-size:.85rem;color:#555;max-width:60rem}
pre{background:#f6f6f6;padding:.7rem;overflow:auto;font-size:.8rem}.note{background:#fff6e0;border-left:4px solid #e69f00;padding:.5rem .8rem}`

// renderMarkdown renders d as Markdown whose figure links are relative to
// mdDir.
func (d *doc) renderMarkdown(mdDir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", d.title)
	for _, bl := range d.blocks {
		bl.markdown(&b, mdDir)
	}
	return b.String()
}

// renderHTML renders d as one HTML page that needs no other file.
func (d *doc) renderHTML() (string, error) {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n", html.EscapeString(d.title), reportCSS)
	fmt.Fprintf(&b, "<h1>%s</h1>\n", html.EscapeString(d.title))
	for _, bl := range d.blocks {
		if err := bl.html(&b); err != nil {
			return "", err
		}
	}
	b.WriteString("</body>\n</html>\n")
	return b.String(), nil
}
