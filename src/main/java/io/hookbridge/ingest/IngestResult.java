package io.hookbridge.ingest;

/** What a 202 answers: the event id, its canonical type, and whether it had been accepted before. */
public record IngestResult(String id, String type, boolean duplicate) { }
