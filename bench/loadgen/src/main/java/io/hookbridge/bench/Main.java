package io.hookbridge.bench;
public final class Main { public static void main(String[] a) { System.out.println("hi " + org.HdrHistogram.Histogram.class); } }
