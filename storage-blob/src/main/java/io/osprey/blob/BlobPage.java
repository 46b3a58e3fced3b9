package io.osprey.blob;

import java.util.List;

/**
 * One page of a listing, in key order. {@code next} is the marker to pass as {@code after} for the
 * following page (the key of the last entry), or null when this is the last page.
 */
public record BlobPage(List<BlobEntry> entries, String next) {

    public BlobPage {
        entries = List.copyOf(entries);
    }

    /** Trims a page read with one entry to spare: that entry tells whether there is a next page. */
    public static BlobPage of(List<BlobEntry> readOneMore, int pageSize) {
        if (readOneMore.size() <= pageSize) {
            return new BlobPage(readOneMore, null);
        }
        List<BlobEntry> page = readOneMore.subList(0, pageSize);
        return new BlobPage(page, page.get(pageSize - 1).uri().key());
    }
}
