using Portal.Domain.Common;
using Portal.Domain.Documents;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

public class DocumentTests
{
    private static CaseDocument Attached(string fileName = "scan.pdf", DocumentFormat format = DocumentFormat.Pdf) =>
        CaseDocument.Attach(Guid.NewGuid(), null, DocumentKind.Legal, fileName, null, format, 1234, new string('a', 64), Advocate, NewClock());

    [Theory]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, DocumentFormat.Pdf)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, DocumentFormat.Jpeg)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, DocumentFormat.Png)]
    public void A_format_is_told_by_the_first_bytes(byte[] start, DocumentFormat expected) =>
        Assert.Equal(expected, DocumentFormats.Detect(start));

    [Theory]
    [InlineData(new byte[] { 0x4D, 0x5A, 0x90, 0x00 })]
    [InlineData(new byte[] { 0x3C, 0x68, 0x74, 0x6D, 0x6C })]
    [InlineData(new byte[] { 0x25, 0x50, 0x44 })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47 })]
    [InlineData(new byte[0])]
    public void Anything_else_is_no_accepted_format(byte[] start) =>
        Assert.Null(DocumentFormats.Detect(start));

    [Theory]
    [InlineData("consent.pdf", DocumentFormat.Pdf, "consent.pdf")]
    [InlineData("photo.JPEG", DocumentFormat.Jpeg, "photo.JPEG")]
    [InlineData("photo.png", DocumentFormat.Jpeg, "photo.jpg")]
    [InlineData("invoice.pdf.exe", DocumentFormat.Pdf, "invoice.pdf.pdf")]
    [InlineData("C:\\Users\\someone\\Desktop\\scan", DocumentFormat.Png, "scan.png")]
    [InlineData("../../etc/passwd", DocumentFormat.Pdf, "passwd.pdf")]
    [InlineData(".pdf", DocumentFormat.Jpeg, "document.jpg")]
    public void The_name_keeps_no_folder_and_takes_the_extension_of_what_the_file_is(string given, DocumentFormat format, string stored) =>
        Assert.Equal(stored, Attached(given, format).FileName);

    [Fact]
    public void A_deletion_needs_a_reason_and_happens_once()
    {
        var document = Attached();
        var version = document.Version;

        Assert.Equal(ErrorCodes.Required, Assert.Throws<DomainException>(() => document.Delete(" ", Advocate, NewClock())).Code);
        document.Delete("Wrong case", Advocate, NewClock());

        Assert.True(document.IsDeleted);
        Assert.NotEqual(version, document.Version);
        Assert.Equal(ErrorCodes.DocumentDeleted, Assert.Throws<DomainException>(() => document.Delete("Again", Advocate, NewClock())).Code);
    }

    [Fact]
    public void An_empty_file_is_refused() =>
        Assert.Equal(
            ErrorCodes.InvalidValue,
            Assert.Throws<DomainException>(() => CaseDocument.Attach(Guid.NewGuid(), null, DocumentKind.Other, "a.pdf", null, DocumentFormat.Pdf, 0, new string('a', 64), Advocate, NewClock())).Code);
}
