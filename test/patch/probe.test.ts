import { it } from "@jest/globals";
import { parseSeries } from "../../src/patch/series.js";
const p = (s: string | Buffer) => { try { return JSON.stringify(parseSeries([{ name: "x", bytes: typeof s === "string" ? Buffer.from(s) : s }]), null, 1).slice(0, 1500); } catch (e) { return String(e) + " " + ((e as any).describe?.() ?? ""); } };
it("probe", () => {
  console.log(p(""));
  console.log(p("obj-y: foo.o\n"));
  console.log(p("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,1 +1,1 @@\n-a\n+b\n+c\n"));
  console.log(p("From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\nSubject: [PATCH] x\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\nbody caf=C3=A9\n---\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,1 +1,1 @@\n-a =3D 1;\n+a =3D 2;\n"));
  console.log(p(Buffer.concat([Buffer.from("From: Ma\xc3\xa9 <a@b>\nSubject: x\n\n", "latin1"), Buffer.from("Author: Ren\xe9\n---\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n", "latin1")])));
});
